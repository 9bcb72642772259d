// The hub's SQLite storage: schema, prepared statements, one transaction per batch.
#include "hub/hub_store.hpp"

#include <sodium.h>

namespace kiosk::hub {

namespace {

constexpr int kSchemaVersion = 1;

const char* const kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS terminals (
  id TEXT PRIMARY KEY,
  township TEXT NOT NULL,
  token_hash BLOB NOT NULL UNIQUE,
  hostname TEXT NOT NULL DEFAULT '',
  enrolled_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_heartbeat_at INTEGER,
  app_version TEXT NOT NULL DEFAULT '',
  bundle_version INTEGER NOT NULL DEFAULT 0,
  queue_depth INTEGER NOT NULL DEFAULT 0,
  oldest_item_age_s INTEGER NOT NULL DEFAULT 0,
  dead_letters INTEGER NOT NULL DEFAULT 0,
  free_disk_bytes INTEGER NOT NULL DEFAULT 0,
  kiosk_clock INTEGER NOT NULL DEFAULT 0,
  last_upload_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS enroll_codes (
  code_hash BLOB PRIMARY KEY,
  township TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  used_by TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
  id TEXT PRIMARY KEY,
  terminal TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  meta TEXT NOT NULL,
  sealed BLOB NOT NULL,
  lookup_key TEXT,
  status TEXT NOT NULL,
  reply TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  deadline INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_lookup ON submissions(lookup_key)
  WHERE lookup_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS submissions_received ON submissions(received_at);
CREATE TABLE IF NOT EXISTS bundles (
  version INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  sig_file TEXT NOT NULL,
  sig_sha256 TEXT NOT NULL,
  sig_size INTEGER NOT NULL,
  all_townships INTEGER NOT NULL,
  published_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bundle_townships (
  version INTEGER NOT NULL REFERENCES bundles(version),
  township TEXT NOT NULL,
  PRIMARY KEY (version, township)
);
CREATE TABLE IF NOT EXISTS heartbeats (
  terminal TEXT NOT NULL,
  at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS heartbeats_terminal ON heartbeats(terminal, at);
)SQL";

// Heartbeat history kept per terminal (the fleet view reads the last one from terminals).
constexpr int64_t kHeartbeatHistoryS = 30 * 24 * 3600;

// Slots of the prepared-statement cache.
enum Slot {
    kInsertCode,
    kUseCode,
    kInsertTerminal,
    kTerminalByToken,
    kRevoke,
    kHeartbeat,
    kHeartbeatHistory,
    kHeartbeatPrune,
    kExists,
    kInsertSubmission,
    kReceipt,
    kSetReply,
    kSubmission,
    kSlotCount
};

// Resets a cached statement when the caller is done with it, so no read stays open.
struct InUse {
    store::Statement* s;
    ~InUse() { s->reset(); }
    store::Statement* operator->() { return s; }
};

const char* const kTerminalColumns =
    "id, township, hostname, enrolled_at, revoked_at, last_heartbeat_at, app_version, "
    "bundle_version, queue_depth, oldest_item_age_s, dead_letters, free_disk_bytes, kiosk_clock, "
    "last_upload_at, last_error";

Terminal terminal_from(const store::Statement& q) {
    Terminal t;
    t.id = q.text(0);
    t.township = q.text(1);
    t.hostname = q.text(2);
    t.enrolled_at = q.integer(3);
    if (!q.is_null(4)) t.revoked_at = q.integer(4);
    if (!q.is_null(5)) t.last_heartbeat_at = q.integer(5);
    t.last.app_version = q.text(6);
    t.last.bundle_version = q.integer(7);
    t.last.queue_depth = q.integer(8);
    t.last.oldest_item_age_s = q.integer(9);
    t.last.dead_letters = q.integer(10);
    t.last.free_disk_bytes = q.integer(11);
    t.last.clock = q.integer(12);
    t.last.last_upload_at = q.integer(13);
    t.last.last_error = q.text(14);
    return t;
}

const char* const kSubmissionColumns =
    "id, terminal, source, kind, created_at, received_at, updated_at, deadline, meta, "
    "COALESCE(lookup_key, ''), status, reply";

StoredSubmission submission_from(const store::Statement& q) {
    StoredSubmission s;
    s.id = q.text(0);
    s.terminal = q.text(1);
    s.source = q.text(2);
    s.kind = q.text(3);
    s.created_at = q.integer(4);
    s.received_at = q.integer(5);
    s.updated_at = q.integer(6);
    s.deadline = q.integer(7);
    s.meta_json = q.text(8);
    s.lookup_key = q.text(9);
    s.status = q.text(10);
    s.reply = q.text(11);
    return s;
}

const char* const kBundleColumns =
    "version, file, sha256, size, sig_file, sig_sha256, sig_size, published_at, all_townships";

}  // namespace

std::string secret_hash(std::string_view secret) {
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                       reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    return out;
}

Result<HubStore> HubStore::open(const std::string& path) {
    if (sodium_init() < 0) return make_error("crypto", "libsodium cannot start");
    auto db = store::Database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db) return db.error();
    // FULL: "stored" is an answer the kiosk deletes its copy on, so it must survive a power cut.
    KIOSK_TRY(db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                       "PRAGMA foreign_keys=ON;"));
    auto v = db->prepare("PRAGMA user_version");
    if (!v) return v.error();
    int64_t version = v->step() ? v->integer(0) : 0;
    if (version > kSchemaVersion)
        return make_error("schema", path + " was written by a newer kiosk-hub (schema " +
                                        std::to_string(version) + ")");
    if (version < kSchemaVersion) {
        KIOSK_TRY(db->exec("BEGIN IMMEDIATE"));
        Status st = db->exec(kSchema);
        if (st) st = db->exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
        if (st) st = db->exec("COMMIT");
        if (!st) {
            (void)db->exec("ROLLBACK");
            return st.error();
        }
    }
    HubStore s(std::move(*db));
    s.statements_.resize(kSlotCount);
    return s;
}

Result<store::Statement*> HubStore::cached(int slot, const char* sql) {
    store::Statement& s = statements_[slot];
    if (!s.handle()) {
        auto p = db_.prepare(sql);
        if (!p) return p.error();
        s = std::move(*p);
    }
    s.reset();
    return &s;
}

// IMMEDIATE: the write lock is taken up front, so two writers wait (busy timeout) instead of
// one failing with a snapshot conflict half way.
Status HubStore::begin() {
    return db_.exec("BEGIN IMMEDIATE");
}
Status HubStore::commit() {
    return db_.exec("COMMIT");
}
void HubStore::rollback() {
    (void)db_.exec("ROLLBACK");
}

Status HubStore::add_enroll_code(const std::string& code_hash, const std::string& township,
                                 int64_t now, int64_t expires_at) {
    auto q = cached(kInsertCode, "INSERT INTO enroll_codes(code_hash, township, created_at, "
                                 "expires_at) VALUES (?, ?, ?, ?)");
    if (!q) return q.error();
    InUse s{*q};
    s->bind_blob(1, code_hash.data(), code_hash.size())
        .bind(2, township)
        .bind(3, now)
        .bind(4, expires_at);
    return s->run();
}

Result<std::string> HubStore::enroll(const std::string& code_hash, const std::string& kiosk_id,
                                     const std::string& token_hash, const std::string& hostname,
                                     int64_t now) {
    auto use = cached(kUseCode, "UPDATE enroll_codes SET used_at = ?1, used_by = ?2 "
                                "WHERE code_hash = ?3 AND used_at IS NULL AND expires_at > ?1 "
                                "RETURNING township");
    if (!use) return use.error();
    auto ins = cached(kInsertTerminal, "INSERT INTO terminals(id, township, token_hash, hostname, "
                                       "enrolled_at) VALUES (?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    KIOSK_TRY(begin());
    std::string township;
    {
        InUse u{*use};
        u->bind(1, now).bind(2, kiosk_id).bind_blob(3, code_hash.data(), code_hash.size());
        if (!u->step()) {
            Error e = u->error() ? *u->error()
                                 : make_error("bad_code", "the enrolment code is unknown, "
                                                          "already used or expired");
            u.s->reset();
            rollback();
            return e;
        }
        township = u->text(0);
        while (u->step()) {
        }
    }
    InUse i{*ins};
    i->bind(1, kiosk_id).bind(2, township).bind_blob(3, token_hash.data(), token_hash.size());
    i->bind(4, hostname).bind(5, now);
    if (Status st = i->run(); !st) {
        rollback();
        return st.error();
    }
    if (Status st = commit(); !st) {
        rollback();
        return st.error();
    }
    return township;
}

Result<std::optional<Terminal>> HubStore::terminal_by_token(const std::string& token_hash) {
    static const std::string sql = std::string("SELECT ") + kTerminalColumns +
                                   ", token_hash FROM terminals WHERE token_hash = ?";
    auto q = cached(kTerminalByToken, sql.c_str());
    if (!q) return q.error();
    InUse s{*q};
    s->bind_blob(1, token_hash.data(), token_hash.size());
    if (!s->step()) {
        if (s->error()) return *s->error();
        return std::optional<Terminal>();
    }
    // The index found the row by the hash; compare the whole hash in constant time anyway.
    std::string stored = s->blob(15);
    if (stored.size() != token_hash.size() ||
        sodium_memcmp(stored.data(), token_hash.data(), stored.size()) != 0)
        return std::optional<Terminal>();
    return std::optional<Terminal>(terminal_from(**q));
}

Result<bool> HubStore::revoke(const std::string& kiosk_id, int64_t now) {
    auto q = cached(kRevoke, "UPDATE terminals SET revoked_at = COALESCE(revoked_at, ?) "
                             "WHERE id = ?");
    if (!q) return q.error();
    InUse s{*q};
    s->bind(1, now).bind(2, kiosk_id);
    KIOSK_TRY(s->run());
    return sqlite3_changes(db_.handle()) > 0;
}

Status HubStore::record_heartbeat(const std::string& kiosk_id, const sync::Heartbeat& hb,
                                  int64_t now) {
    auto up = cached(kHeartbeat,
                     "UPDATE terminals SET last_heartbeat_at = ?, app_version = ?, "
                     "bundle_version = ?, queue_depth = ?, oldest_item_age_s = ?, "
                     "dead_letters = ?, free_disk_bytes = ?, kiosk_clock = ?, last_upload_at = ?, "
                     "last_error = ? WHERE id = ?");
    if (!up) return up.error();
    auto hist = cached(kHeartbeatHistory, "INSERT INTO heartbeats(terminal, at, body) "
                                          "VALUES (?, ?, ?)");
    if (!hist) return hist.error();
    auto prune = cached(kHeartbeatPrune, "DELETE FROM heartbeats WHERE terminal = ? AND at < ?");
    if (!prune) return prune.error();
    KIOSK_TRY(begin());
    InUse u{*up}, h{*hist}, p{*prune};
    u->bind(1, now).bind(2, hb.app_version).bind(3, hb.bundle_version).bind(4, hb.queue_depth);
    u->bind(5, hb.oldest_item_age_s).bind(6, hb.dead_letters).bind(7, hb.free_disk_bytes);
    u->bind(8, hb.clock).bind(9, hb.last_upload_at).bind(10, hb.last_error).bind(11, kiosk_id);
    h->bind(1, kiosk_id).bind(2, now).bind(3, sync::encode(hb));
    p->bind(1, kiosk_id).bind(2, now - kHeartbeatHistoryS);
    Status st = u->run();
    if (st) st = h->run();
    if (st) st = p->run();
    if (st) st = commit();
    if (!st) rollback();
    return st;
}

Result<std::vector<Terminal>> HubStore::terminals() {
    auto q = db_.prepare(std::string("SELECT ") + kTerminalColumns + " FROM terminals ORDER BY id");
    if (!q) return q.error();
    std::vector<Terminal> out;
    while (q->step())
        out.push_back(terminal_from(*q));
    if (q->error()) return *q->error();
    return out;
}

Result<std::vector<sync::ItemResult>> HubStore::store_batch(const std::vector<BatchEntry>& batch,
                                                            const std::string& terminal,
                                                            const std::string& source, int64_t now,
                                                            int64_t deadline) {
    auto exists = cached(kExists, "SELECT 1 FROM submissions WHERE id = ?");
    if (!exists) return exists.error();
    auto ins = cached(kInsertSubmission,
                      "INSERT INTO submissions(id, terminal, source, kind, created_at, "
                      "received_at, meta, sealed, lookup_key, status, updated_at, deadline) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?) "
                      "ON CONFLICT(id) DO NOTHING");
    if (!ins) return ins.error();
    KIOSK_TRY(begin());
    std::vector<sync::ItemResult> results;
    results.reserve(batch.size());
    auto fail = [&](const Error& e) -> Error {
        rollback();
        return e;
    };
    for (const BatchEntry& e : batch) {
        const sync::WireItem& it = *e.item;
        sync::ItemResult r;
        r.id = it.id;
        if (!e.reject_reason.empty()) {
            InUse x{*exists};
            x->bind(1, it.id);
            bool found = x->step();
            if (x->error()) return fail(*x->error());
            r.outcome = found ? sync::ItemOutcome::duplicate : sync::ItemOutcome::rejected;
            if (!found) r.reason = e.reject_reason;
        } else {
            InUse s{*ins};
            s->bind(1, it.id).bind(2, terminal).bind(3, source).bind(4, submit::kind_name(it.kind));
            s->bind(5, it.created_at).bind(6, now).bind(7, it.meta_json);
            s->bind_blob(8, it.sealed.data(), it.sealed.size());
            if (it.lookup_key.empty())
                s->bind_null(9);
            else
                s->bind(9, it.lookup_key);
            s->bind(10, now).bind(11, deadline);
            if (Status st = s->run(); !st) return fail(st.error());
            r.outcome = sqlite3_changes(db_.handle()) > 0 ? sync::ItemOutcome::stored
                                                          : sync::ItemOutcome::duplicate;
        }
        results.push_back(std::move(r));
    }
    if (Status st = commit(); !st) return fail(st.error());
    return results;
}

Result<std::optional<sync::ReceiptAnswer>> HubStore::receipt(const std::string& lookup_key) {
    auto q = cached(kReceipt, "SELECT status, reply, updated_at FROM submissions "
                              "WHERE lookup_key = ? ORDER BY received_at DESC LIMIT 1");
    if (!q) return q.error();
    InUse s{*q};
    s->bind(1, lookup_key);
    if (!s->step()) {
        if (s->error()) return *s->error();
        return std::optional<sync::ReceiptAnswer>();
    }
    return std::optional<sync::ReceiptAnswer>(
        sync::ReceiptAnswer{s->text(0), s->text(1), s->integer(2)});
}

Result<bool> HubStore::set_reply(const std::string& id, const std::string& status,
                                 const std::string& reply, int64_t now) {
    auto q = cached(kSetReply, "UPDATE submissions SET status = ?, reply = ?, updated_at = ? "
                               "WHERE id = ?");
    if (!q) return q.error();
    InUse s{*q};
    s->bind(1, status).bind(2, reply).bind(3, now).bind(4, id);
    KIOSK_TRY(s->run());
    return sqlite3_changes(db_.handle()) > 0;
}

Result<std::optional<StoredSubmission>> HubStore::submission(const std::string& id) {
    static const std::string sql =
        std::string("SELECT ") + kSubmissionColumns + ", sealed FROM submissions WHERE id = ?";
    auto q = cached(kSubmission, sql.c_str());
    if (!q) return q.error();
    InUse s{*q};
    s->bind(1, id);
    if (!s->step()) {
        if (s->error()) return *s->error();
        return std::optional<StoredSubmission>();
    }
    StoredSubmission out = submission_from(**q);
    out.sealed = s->blob(12);
    return std::optional<StoredSubmission>(std::move(out));
}

Result<std::vector<StoredSubmission>> HubStore::list(const std::string& status) {
    auto q = db_.prepare(std::string("SELECT ") + kSubmissionColumns +
                         " FROM submissions WHERE ?1 = '' OR status = ?1 "
                         "ORDER BY received_at DESC, id");
    if (!q) return q.error();
    q->bind(1, status);
    std::vector<StoredSubmission> out;
    while (q->step())
        out.push_back(submission_from(*q));
    if (q->error()) return *q->error();
    return out;
}

Result<int64_t> HubStore::submission_count() {
    auto q = db_.prepare("SELECT COUNT(*) FROM submissions");
    if (!q) return q.error();
    if (!q->step()) return q->error() ? *q->error() : make_error("sqlite", "no count");
    return q->integer(0);
}

Status HubStore::add_bundle(const PublishedBundle& b) {
    auto ins = db_.prepare("INSERT INTO bundles(version, file, sha256, size, sig_file, sig_sha256, "
                           "sig_size, all_townships, published_at) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!ins) return ins.error();
    auto town = db_.prepare("INSERT OR IGNORE INTO bundle_townships(version, township) "
                            "VALUES (?, ?)");
    if (!town) return town.error();
    KIOSK_TRY(begin());
    ins->bind(1, b.version).bind(2, b.file).bind(3, b.sha256).bind(4, b.size).bind(5, b.sig_file);
    ins->bind(6, b.sig_sha256).bind(7, b.sig_size).bind(8, int64_t(b.townships.empty() ? 1 : 0));
    ins->bind(9, b.published_at);
    Status st = ins->run();
    for (size_t i = 0; st && i < b.townships.size(); ++i) {
        town->reset();
        town->bind(1, b.version).bind(2, b.townships[i]);
        st = town->run();
    }
    if (st) st = commit();
    if (!st) rollback();
    return st;
}

namespace {
Result<std::vector<PublishedBundle>> read_bundles(store::Database& db, store::Statement& q) {
    std::vector<PublishedBundle> out;
    while (q.step()) {
        PublishedBundle b;
        b.version = q.integer(0);
        b.file = q.text(1);
        b.sha256 = q.text(2);
        b.size = q.integer(3);
        b.sig_file = q.text(4);
        b.sig_sha256 = q.text(5);
        b.sig_size = q.integer(6);
        b.published_at = q.integer(7);
        if (q.integer(8) == 0) {
            auto t = db.prepare("SELECT township FROM bundle_townships WHERE version = ? "
                                "ORDER BY township");
            if (!t) return t.error();
            t->bind(1, b.version);
            while (t->step())
                b.townships.push_back(t->text(0));
            if (t->error()) return *t->error();
        }
        out.push_back(std::move(b));
    }
    if (q.error()) return *q.error();
    return out;
}

Result<std::optional<PublishedBundle>> first(Result<std::vector<PublishedBundle>> all) {
    if (!all) return all.error();
    if (all->empty()) return std::optional<PublishedBundle>();
    return std::optional<PublishedBundle>(std::move(all->front()));
}
}  // namespace

Result<std::optional<PublishedBundle>> HubStore::bundle(int64_t version) {
    auto q =
        db_.prepare(std::string("SELECT ") + kBundleColumns + " FROM bundles WHERE version = ?");
    if (!q) return q.error();
    q->bind(1, version);
    return first(read_bundles(db_, *q));
}

Result<std::optional<PublishedBundle>> HubStore::latest_bundle() {
    auto q = db_.prepare(std::string("SELECT ") + kBundleColumns +
                         " FROM bundles ORDER BY version DESC LIMIT 1");
    if (!q) return q.error();
    return first(read_bundles(db_, *q));
}

Result<std::optional<PublishedBundle>> HubStore::bundle_for_township(const std::string& township) {
    auto q = db_.prepare(std::string("SELECT ") + kBundleColumns +
                         " FROM bundles b WHERE all_townships = 1 OR EXISTS (SELECT 1 FROM "
                         "bundle_townships t WHERE t.version = b.version AND t.township = ?) "
                         "ORDER BY version DESC LIMIT 1");
    if (!q) return q.error();
    q->bind(1, township);
    return first(read_bundles(db_, *q));
}

Result<std::vector<PublishedBundle>> HubStore::bundles() {
    auto q =
        db_.prepare(std::string("SELECT ") + kBundleColumns + " FROM bundles ORDER BY version");
    if (!q) return q.error();
    return read_bundles(db_, *q);
}

}  // namespace kiosk::hub
