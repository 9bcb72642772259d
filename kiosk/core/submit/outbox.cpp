// The outbox table in <state_dir>/kiosk.db: durable enqueue within limits, sent marks, dead
// letters, the rating cooldown. Export to a folder is in outbox_export.cpp.
#include "submit/outbox.hpp"

#include <filesystem>

namespace kiosk::submit {

namespace {

// PRAGMA user_version of the state database; a newer number means a newer kiosk wrote it.
constexpr int64_t kSchemaVersion = 1;

const char* const kSchema = R"(
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- queue order, never reused
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    meta TEXT NOT NULL,
    sealed BLOB NOT NULL,
    lookup_key TEXT NOT NULL,
    rating_target TEXT NOT NULL,
    bytes INTEGER NOT NULL,  -- counted against [submit] max_mb while pending
    sent_at INTEGER          -- NULL while pending
);
-- Covers the limit check and the statistics, so neither reads the sealed blobs.
CREATE INDEX outbox_pending ON outbox (sent_at, kind, bytes, created_at);
CREATE TABLE dead_letter (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    meta TEXT NOT NULL,
    sealed BLOB NOT NULL,
    lookup_key TEXT NOT NULL,
    reason TEXT NOT NULL,
    dead_at INTEGER NOT NULL
);
CREATE TABLE rating_cooldown (
    target TEXT PRIMARY KEY,
    last_at INTEGER NOT NULL
);
)";

uint64_t stored_bytes(const Submission& s) {
    return s.id.size() + s.meta_json.size() + s.sealed.size() + s.lookup_key.size();
}

// SQLite's word for a failure, turned into the outbox's: a full or failing disk is one thing
// for the person at the screen ("disk_full"), whatever SQLite called it.
Error classify(sqlite3* db, const Error& e) {
    if (e.code != "sqlite") return e;  // ours ("full", ...): the last SQLite code may be stale
    int rc = sqlite3_extended_errcode(db) & 0xff;
    if (rc == SQLITE_FULL || rc == SQLITE_IOERR) {
        return make_error("disk_full", "the kiosk's disk is full or failing: " + e.message);
    }
    if (rc == SQLITE_CONSTRAINT) return make_error("duplicate", "already queued: " + e.message);
    return e;
}

}  // namespace

OutboxLimits outbox_limits(const config::Config& cfg) {
    OutboxLimits limits;
    limits.max_items = cfg.outbox_max_items;
    limits.max_bytes = cfg.outbox_max_bytes;
    limits.min_free_disk_bytes = cfg.min_free_disk_bytes;
    return limits;
}

std::string state_database_path(const std::string& state_dir) {
    return state_dir + "/kiosk.db";
}

Outbox::Outbox(store::Database db, std::string path, OutboxLimits limits, OutboxSeams seams)
    : db_(std::move(db)), path_(std::move(path)), limits_(limits), seams_(std::move(seams)) {}

Result<Outbox> Outbox::open(const std::string& db_path, OutboxLimits limits, OutboxSeams seams) {
    std::filesystem::path dir = std::filesystem::path(db_path).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return make_error("io", "cannot create " + dir.string() + ": " + ec.message());
    auto db = store::Database::open(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db) return db.error();
    KIOSK_TRY(db->exec("PRAGMA journal_mode = WAL"));
    KIOSK_TRY(db->exec("PRAGMA synchronous = FULL"));
    KIOSK_TRY(db->exec("PRAGMA secure_delete = ON"));
    if (seams.max_page_count) {
        KIOSK_TRY(db->exec("PRAGMA max_page_count = " + std::to_string(*seams.max_page_count)));
    }
    // IMMEDIATE: two processes opening a new database at once must not both create the schema.
    KIOSK_TRY(db->exec("BEGIN IMMEDIATE"));
    auto version = db->prepare("PRAGMA user_version");
    if (!version) return version.error();
    int64_t v = version->step() ? version->integer(0) : 0;
    version = store::Statement();
    Status made;
    if (v == 0) {
        made = db->exec(kSchema);
        if (made) made = db->exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    } else if (v > kSchemaVersion) {
        made = make_error("schema", db_path + " was written by a newer kiosk (state schema " +
                                        std::to_string(v) + ", this one knows " +
                                        std::to_string(kSchemaVersion) + ")");
    }
    if (!made) {
        (void)db->exec("ROLLBACK");
        return classify(db->handle(), made.error());
    }
    Status committed = db->exec("COMMIT");
    if (!committed) return classify(db->handle(), committed.error());
    return Outbox(std::move(*db), db_path, limits, std::move(seams));
}

Status Outbox::rollback_with(const Error& e) {
    Error out = classify(db_.handle(), e);
    // SQLite has already rolled back after some errors (a full disk among them).
    if (!sqlite3_get_autocommit(db_.handle())) (void)db_.exec("ROLLBACK");
    return out;
}

Status Outbox::check_room(uint64_t item_bytes) {
    auto q = db_.prepare("SELECT count(*), total(bytes) FROM outbox WHERE sent_at IS NULL");
    if (!q) return q.error();
    if (!q->step()) return q->error() ? *q->error() : make_error("sqlite", "no count");
    const auto count = static_cast<uint64_t>(q->integer(0));
    const auto bytes = static_cast<uint64_t>(q->real(1));
    if (count + 1 > limits_.max_items) {
        return make_error("full", "the outbox holds " + std::to_string(count) +
                                      " items, its limit ([submit] max_items)");
    }
    if (bytes + item_bytes > limits_.max_bytes) {
        return make_error("full", "the outbox holds " + std::to_string(bytes >> 20) +
                                      " MiB; one more item would pass [submit] max_mb");
    }
    auto dir = std::filesystem::path(path_).parent_path().string();
    auto free_bytes = seams_.free_disk_bytes ? seams_.free_disk_bytes(dir.empty() ? "." : dir)
                                             : util::free_disk_bytes(dir.empty() ? "." : dir);
    // A filesystem that cannot be measured is not refused here: SQLITE_FULL still protects it.
    if (free_bytes && *free_bytes < limits_.min_free_disk_bytes + item_bytes) {
        return make_error("full", "only " + std::to_string(*free_bytes >> 20) +
                                      " MiB free on the disk, below [submit] min_free_disk_mb");
    }
    return {};
}

Status Outbox::enqueue(const Submission& item) {
    if (item.id.empty() || item.sealed.empty() || item.meta_json.empty()) {
        return make_error("invalid", "an outbox item needs an id, meta and sealed bytes");
    }
    const uint64_t bytes = stored_bytes(item);
    auto step = [&](const char* name) {
        if (seams_.checkpoint) seams_.checkpoint(name);
    };
    // IMMEDIATE takes the write lock now, so the room check and the insert see the same queue.
    Status begun = db_.exec("BEGIN IMMEDIATE");
    if (!begun) return classify(db_.handle(), begun.error());
    step("begun");
    if (Status room = check_room(bytes); !room) return rollback_with(room.error());

    auto ins = db_.prepare("INSERT INTO outbox (id, kind, created_at, meta, sealed, lookup_key, "
                           "rating_target, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!ins) return rollback_with(ins.error());
    ins->bind(1, item.id)
        .bind(2, kind_name(item.kind))
        .bind(3, item.created_at)
        .bind(4, item.meta_json)
        .bind_blob(5, item.sealed.data(), item.sealed.size())
        .bind(6, item.lookup_key)
        .bind(7, item.rating_target)
        .bind(8, static_cast<int64_t>(bytes));
    if (Status st = ins->run(); !st) return rollback_with(st.error());
    if (item.kind == Kind::rating && !item.rating_target.empty()) {
        auto cd = db_.prepare("INSERT INTO rating_cooldown (target, last_at) VALUES (?, ?) "
                              "ON CONFLICT (target) DO UPDATE SET last_at = "
                              "max(last_at, excluded.last_at)");
        if (!cd) return rollback_with(cd.error());
        cd->bind(1, item.rating_target).bind(2, item.created_at);
        if (Status st = cd->run(); !st) return rollback_with(st.error());
    }
    step("inserted");
    if (Status st = db_.exec("COMMIT"); !st) return rollback_with(st.error());
    step("committed");
    return {};
}

Result<std::optional<int64_t>> Outbox::last_rating_at(const std::string& target) {
    auto q = db_.prepare("SELECT last_at FROM rating_cooldown WHERE target = ?");
    if (!q) return q.error();
    q->bind(1, target);
    if (q->step()) return std::optional<int64_t>(q->integer(0));
    if (q->error()) return *q->error();
    return std::optional<int64_t>();
}

Result<OutboxStats> Outbox::stats() {
    OutboxStats s;
    auto q = db_.prepare("SELECT kind, count(*), total(bytes), min(created_at) FROM outbox "
                         "WHERE sent_at IS NULL GROUP BY kind");
    if (!q) return q.error();
    while (q->step()) {
        const int64_t n = q->integer(1);
        s.depth += n;
        s.bytes += static_cast<int64_t>(q->real(2));
        const int64_t oldest = q->integer(3);
        if (s.oldest_created_at == 0 || oldest < s.oldest_created_at) s.oldest_created_at = oldest;
        auto kind = kind_from_name(q->text(0));
        if (kind == Kind::report) s.by_kind.report += n;
        if (kind == Kind::rating) s.by_kind.rating += n;
        if (kind == Kind::consultation) s.by_kind.consultation += n;
    }
    if (q->error()) return *q->error();
    auto counts = db_.prepare("SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL), "
                              "(SELECT count(*) FROM dead_letter)");
    if (!counts) return counts.error();
    if (!counts->step()) return counts->error() ? *counts->error() : make_error("sqlite", "count");
    s.sent_count = counts->integer(0);
    s.dead_count = counts->integer(1);
    return s;
}

Result<std::vector<Submission>> Outbox::pending(size_t limit) {
    auto q = db_.prepare("SELECT id, kind, created_at, meta, sealed, lookup_key, rating_target "
                         "FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?");
    if (!q) return q.error();
    q->bind(1, static_cast<int64_t>(limit));
    std::vector<Submission> out;
    while (q->step()) {
        Submission s;
        s.id = q->text(0);
        s.kind = kind_from_name(q->text(1)).value_or(Kind::report);
        s.created_at = q->integer(2);
        s.meta_json = q->text(3);
        s.sealed = q->blob(4);
        s.lookup_key = q->text(5);
        s.rating_target = q->text(6);
        out.push_back(std::move(s));
    }
    if (q->error()) return *q->error();
    return out;
}

Status Outbox::mark_sent(const std::vector<std::string>& ids, int64_t at) {
    if (ids.empty()) return {};
    if (Status st = db_.exec("BEGIN IMMEDIATE"); !st) return classify(db_.handle(), st.error());
    auto up = db_.prepare("UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL");
    if (!up) return rollback_with(up.error());
    for (const auto& id : ids) {
        up->reset();
        up->bind(1, at).bind(2, id);
        if (Status st = up->run(); !st) return rollback_with(st.error());
    }
    if (Status st = db_.exec("COMMIT"); !st) return rollback_with(st.error());
    return {};
}

Status Outbox::dead_letter(const std::string& id, const std::string& reason, int64_t at) {
    if (Status st = db_.exec("BEGIN IMMEDIATE"); !st) return classify(db_.handle(), st.error());
    auto mv = db_.prepare("INSERT OR REPLACE INTO dead_letter (id, kind, created_at, meta, "
                          "sealed, lookup_key, reason, dead_at) SELECT id, kind, created_at, "
                          "meta, sealed, lookup_key, ?, ? FROM outbox "
                          "WHERE id = ? AND sent_at IS NULL");
    if (!mv) return rollback_with(mv.error());
    mv->bind(1, reason).bind(2, at).bind(3, id);
    if (Status st = mv->run(); !st) return rollback_with(st.error());
    if (sqlite3_changes(db_.handle()) == 0) {
        (void)db_.exec("ROLLBACK");
        return make_error("not_found", "no pending outbox item has id " + id);
    }
    auto del = db_.prepare("DELETE FROM outbox WHERE id = ?");
    if (!del) return rollback_with(del.error());
    del->bind(1, id);
    if (Status st = del->run(); !st) return rollback_with(st.error());
    if (Status st = db_.exec("COMMIT"); !st) return rollback_with(st.error());
    return {};
}

Result<size_t> Outbox::purge_sent(int64_t older_than) {
    auto del = db_.prepare("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?");
    if (!del) return del.error();
    del->bind(1, older_than);
    if (Status st = del->run(); !st) return classify(db_.handle(), st.error());
    return static_cast<size_t>(sqlite3_changes(db_.handle()));
}

}  // namespace kiosk::submit
