// The outbox: sealed submissions queued durably in the kiosk's own state database until the sync
// worker hands them to the county hub (or a technician exports them to a USB stick).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "store/sqlite.hpp"
#include "submit/draft.hpp"
#include "util/file_io.hpp"
#include "util/result.hpp"

namespace kiosk::submit {

// The bounds of the queue. Count and bytes are those of pending items (sent ones are purged by
// the sync worker, dead letters are few); the floor keeps the disk usable for logs and bundles.
struct OutboxLimits {
    size_t max_items = 5000;
    uint64_t max_bytes = 50ull << 20;
    uint64_t min_free_disk_bytes = 200ull << 20;
};

// The limits a kiosk.toml asks for ([submit]).
OutboxLimits outbox_limits(const config::Config& cfg);

// "<state_dir>/kiosk.db": the kiosk's own database (the outbox, the rating cooldowns).
std::string state_database_path(const std::string& state_dir);

// Fault seams for tests; the defaults are the real thing.
struct OutboxSeams {
    // Called inside enqueue after "begun", "inserted" and "committed" (a test kills itself there).
    std::function<void(const char* step)> checkpoint;
    // PRAGMA max_page_count: the database cannot grow past it, as on a full disk (SQLITE_FULL).
    std::optional<int64_t> max_page_count;
    // Free bytes on the filesystem holding a path; util::free_disk_bytes when empty.
    std::function<Result<uint64_t>(const std::string& path)> free_disk_bytes;
    // How export_to opens its file; util::open_posix_sink when empty (util::failing_after for a
    // full USB stick).
    util::OpenSink open_sink;
};

// One queued item. Only `meta_json` and `lookup_key` are readable; the rest is sealed.
struct Submission {
    std::string id;  // UUID v4 text, unique; the hub deduplicates by it
    Kind kind = Kind::report;
    int64_t created_at = 0;     // Unix seconds (util::wall_now)
    std::string meta_json;      // routing metadata only (kind, category, level, target, ...)
    std::string sealed;         // raw crypto_box_seal bytes
    std::string lookup_key;     // hex Argon2id of the receipt code; empty for ratings
    std::string rating_target;  // ratings: the target id whose cooldown this starts; else empty
};

struct KindCounts {
    int64_t report = 0, rating = 0, consultation = 0;
};

struct OutboxStats {
    int64_t depth = 0;              // pending items
    int64_t bytes = 0;              // their stored size (meta + sealed + lookup key)
    int64_t oldest_created_at = 0;  // of the pending items; 0 when there are none
    KindCounts by_kind;             // pending items by kind
    int64_t sent_count = 0;         // sent, not yet purged
    int64_t dead_count = 0;         // refused by the hub, kept for the technician
};

struct ExportSummary {
    std::string file;  // the full path of the new file
    size_t items = 0;
    uint64_t bytes = 0;
};

// One connection to the state database: one Outbox per thread (the UI and the sync worker each
// open their own; SQLite's locking and the WAL let them share the file).
class Outbox {
public:
    // Opens (creating when needed) the database at db_path and its folder, in WAL mode with
    // synchronous=FULL (a commit survives a power cut) and secure_delete (purged rows are
    // overwritten). Refuses a database written by a newer kiosk ("schema").
    static Result<Outbox> open(const std::string& db_path, OutboxLimits limits,
                               OutboxSeams seams = {});

    // Queues one item in one transaction; durable on disk when it returns ok. Refused before
    // anything is written with "full" when the count or bytes limit or the free-disk floor would
    // be passed; "disk_full" when the disk fills during the write (rolled back: nothing half
    // written); "duplicate" for an id already queued. A rating also records its target's last
    // rating time, in the same transaction.
    Status enqueue(const Submission& item);

    // When this terminal last queued a rating for the target; nullopt if never.
    Result<std::optional<int64_t>> last_rating_at(const std::string& target);

    Result<OutboxStats> stats();

    // Up to `limit` pending items, in the order they were queued.
    Result<std::vector<Submission>> pending(size_t limit);

    // The hub stored them (or had them already): they leave the queue. Unknown ids are ignored.
    Status mark_sent(const std::vector<std::string>& ids, int64_t at);

    // The hub refused the item: it moves to the dead-letter table with the reason
    // ("not_found" if it is not pending).
    Status dead_letter(const std::string& id, const std::string& reason, int64_t at);

    // Deletes items marked sent before `older_than`; returns how many.
    Result<size_t> purge_sent(int64_t older_than);

    // Copies every pending item into one new file DIR/kiosk-outbox-<YYYYMMDDTHHMMSSZ>-<8 hex>.jsonl
    // for manual transfer to the hub. A copy: the items stay queued, and the hub's deduplication
    // by id makes a later upload of the same items harmless. One JSON object per line
    // {id, kind, created_at, meta, sealed (base64), lookup_key}, then a last line
    // {"manifest": {"format": "kiosk-outbox/1", "items": N, "exported_at": T,
    //  "sha256": hex of every byte before this line}} so the hub can tell a complete file from a
    // cut one. Written to a hidden temporary name, fsynced, renamed, folder fsynced; on any error
    // (a full stick: "disk_full") the partial file is removed.
    Result<ExportSummary> export_to(const std::string& dir, int64_t now);

    const std::string& path() const { return path_; }

private:
    Outbox(store::Database db, std::string path, OutboxLimits limits, OutboxSeams seams);
    Status check_room(uint64_t item_bytes);
    Status rollback_with(const Error& e);

    store::Database db_;
    std::string path_;
    OutboxLimits limits_;
    OutboxSeams seams_;
};

}  // namespace kiosk::submit
