// The hub's configuration (TOML, config/hub.dev.toml documents it): where it listens, its TLS
// files, database and publish folder, the keys bundles must be signed with, and every limit the
// server applies (set explicitly, never left to the HTTP library's defaults).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace kiosk::hub {

struct HubLimits {
    uint64_t max_body_bytes = 8u << 20;  // [limits] max_body_bytes: refused with 413 unread
    int read_timeout_s = 10;             // [limits] read_timeout_s
    int write_timeout_s = 30;            // [limits] write_timeout_s
    int keep_alive_max_count = 100;      // [limits] keep_alive_max_count: requests per connection
    // A kept-alive connection holds one of the pool's threads until it goes idle this long: a
    // terminal's pass (heartbeat, then batches) reuses it; between passes it is let go. With a
    // heartbeat a minute, 200 terminals hold about 200 x 2 / 60 = 7 threads at a time.
    int keep_alive_timeout_s = 2;         // [limits] keep_alive_timeout_s
    int threads = 64;                     // [limits] threads: the worker pool (one a connection)
    int receipt_delay_ms = 50;            // [limits] receipt_delay_ms: every answer, from arrival
    int receipt_lookups_per_minute = 30;  // [limits] receipt_lookups_per_minute, per terminal
};

struct HubConfig {
    std::string file;
    std::string address = "127.0.0.1";  // [listen] address
    int port = 8443;                    // [listen] port; 0: any free port (printed when ready)
    std::string tls_cert, tls_key;      // [tls] cert, key (PEM files)
    std::string database;               // [storage] database: the SQLite file
    std::string publish_dir;            // [storage] publish_dir: published bundles are served
    std::string scope;                  // [bundle] scope: only bundles of this scope are published
    std::vector<std::string> trusted_key_files;  // [bundle] trusted_keys: minisign .pub files
    uint64_t max_bundle_bytes = 200ull << 20;    // [bundle] max_size_mb
    HubLimits limits;
    int64_t offline_after_s = 30 * 60;  // [fleet] offline_after_min: no heartbeat for that long
    int64_t reply_days = 15;            // [replies] deadline_days: 限时办结, from arrival
};

// Parses TOML text; relative paths are taken from the folder of `file`. Unknown keys are errors.
Result<HubConfig> parse_hub_config(std::string_view text, const std::string& file);
Result<HubConfig> load_hub_config(const std::string& file);

}  // namespace kiosk::hub
