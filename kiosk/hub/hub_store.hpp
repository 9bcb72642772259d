// The hub's storage: every SQL statement of kiosk-hub lives here, so a PostgreSQL backend can
// follow with the same interface. SQLite in WAL mode with synchronous=FULL: an item the hub
// answered "stored" survives a power cut. One HubStore is one connection: one per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.hpp"
#include "sync/protocol.hpp"
#include "util/result.hpp"

namespace kiosk::hub {

// SHA-256 of a secret (token or enroll code) as 32 raw bytes: what the store keeps instead.
std::string secret_hash(std::string_view secret);

struct Terminal {
    std::string id;  // "k-" + 16 hex
    std::string township;
    std::string hostname;
    int64_t enrolled_at = 0;
    std::optional<int64_t> revoked_at;
    std::optional<int64_t> last_heartbeat_at;
    sync::Heartbeat last;  // the fields of the last heartbeat (zero when none)
};

struct PublishedBundle {
    int64_t version = 0;
    std::string file;  // name inside the publish folder, e.g. "v0000000007.kbundle"
    std::string sha256;
    int64_t size = 0;
    std::string sig_file;
    std::string sig_sha256;
    int64_t sig_size = 0;
    std::vector<std::string> townships;  // empty: every township
    int64_t published_at = 0;
};

// One item of a batch as the hub decided about it before storing: an empty reason stores it.
struct BatchEntry {
    const sync::WireItem* item = nullptr;
    std::string reject_reason;
};

struct StoredSubmission {
    std::string id, terminal, source, kind;
    int64_t created_at = 0, received_at = 0, updated_at = 0, deadline = 0;
    std::string meta_json;
    std::string sealed;  // only from submission(); list() leaves it empty
    std::string lookup_key;
    std::string status, reply;
};

class HubStore {
public:
    // Opens (creating the file and schema when needed) the database; "schema" for a database
    // written by a newer hub.
    static Result<HubStore> open(const std::string& path);

    // ---- terminals and enrolment ----
    Status add_enroll_code(const std::string& code_hash, const std::string& township, int64_t now,
                           int64_t expires_at);
    // Uses the code (once, before it expires) and creates the terminal in one transaction;
    // "bad_code" when the code is unknown, used or expired. Returns the township.
    Result<std::string> enroll(const std::string& code_hash, const std::string& kiosk_id,
                               const std::string& token_hash, const std::string& hostname,
                               int64_t now);
    // The terminal whose token hashes to token_hash, revoked or not; nullopt when none.
    Result<std::optional<Terminal>> terminal_by_token(const std::string& token_hash);
    // false when no terminal has the id.
    Result<bool> revoke(const std::string& kiosk_id, int64_t now);
    Status record_heartbeat(const std::string& kiosk_id, const sync::Heartbeat& hb, int64_t now);
    Result<std::vector<Terminal>> terminals();

    // ---- submissions ----
    // One transaction for the batch: an id already stored is "duplicate" (whatever else is
    // wrong with the item), then a reason means "rejected", else the item is inserted "stored".
    Result<std::vector<sync::ItemResult>> store_batch(const std::vector<BatchEntry>& batch,
                                                      const std::string& terminal,
                                                      const std::string& source, int64_t now,
                                                      int64_t deadline);
    Result<std::optional<sync::ReceiptAnswer>> receipt(const std::string& lookup_key);
    // false when no submission has the id.
    Result<bool> set_reply(const std::string& id, const std::string& status,
                           const std::string& reply, int64_t now);
    Result<std::optional<StoredSubmission>> submission(const std::string& id);
    // Newest first; status empty for every one.
    Result<std::vector<StoredSubmission>> list(const std::string& status);
    Result<int64_t> submission_count();

    // ---- published bundles ----
    Status add_bundle(const PublishedBundle& b);
    Result<std::optional<PublishedBundle>> bundle(int64_t version);
    Result<std::optional<PublishedBundle>> latest_bundle();
    // The newest bundle published to every township or to this one.
    Result<std::optional<PublishedBundle>> bundle_for_township(const std::string& township);
    Result<std::vector<PublishedBundle>> bundles();

private:
    explicit HubStore(store::Database db) : db_(std::move(db)) {}
    Result<store::Statement*> cached(int slot, const char* sql);
    Status begin();
    Status commit();
    void rollback();

    store::Database db_;
    // Prepared once per connection (see cached()).
    std::vector<store::Statement> statements_;
};

}  // namespace kiosk::hub
