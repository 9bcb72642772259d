// The bundle file format: an SQLite database with a fixed schema, and the checks a reader makes.
#pragma once

#include <cstdint>
#include <string>

#include "store/sqlite.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace kiosk::store {

// Bumped when the schema changes incompatibly; a kiosk refuses any other number.
inline constexpr int kBundleFormat = 1;
// PRAGMA application_id of every bundle: "KBN1".
inline constexpr int32_t kBundleApplicationId = 0x4B424E31;

struct BundleMeta {
    int64_t format = 0;
    int64_t version = 0;
    std::string title;
    std::string scope;
    std::string created;  // ISO 8601 UTC, e.g. 2026-11-25T00:00:00Z
    std::string expires;
    int64_t created_unix = 0;
    int64_t expires_unix = 0;
    std::string min_kiosk_version;
    std::string seal_public_key;  // base64 X25519 key for crypto_box_seal
    int64_t document_count = 0;
};

// Creates every table of an empty bundle (the search index too; the tokenizer must be registered).
Status create_bundle_schema(Database& db);

// Checks the first bytes of a file before SQLite sees it: empty ("empty"), not SQLite
// ("not_sqlite"), or shorter than its header says ("truncated").
Status check_bundle_header(const std::string& path);

// Opens a bundle read-only (immutable: installed bundles never change) with the tokenizer
// registered.
Result<Database> open_bundle(const std::string& path);

// PRAGMA quick_check; "corrupt" with SQLite's first complaint when it fails.
Status quick_check(Database& db);

// Checks application id, format number, tables and columns ("format"), then reads the meta table.
Result<BundleMeta> read_bundle_meta(Database& db);

// "2026-11-25" or "2026-11-25T08:00:00Z" to Unix seconds (UTC); "format" error otherwise.
using util::format_utc_time;  // (the one clock module owns time formats)
using util::parse_utc_time;

// Compares dotted version numbers ("0.1.0" < "0.10.0"); non-numeric parts compare as 0.
int compare_versions(const std::string& a, const std::string& b);

}  // namespace kiosk::store
