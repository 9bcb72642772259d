// The kiosk's configuration (TOML): paths, trusted bundle keys, limits. config/kiosk.toml documents
// it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace kiosk::config {

// How the kiosk draws: OpenGL for a GPU, SDL's software renderer without one; automatic picks
// by whether the machine has a GPU render node.
enum class Renderer { automatic, opengl, software };

struct Config {
    std::string file;       // the file it was read from
    std::string state_dir;  // [paths] state_dir: installed bundles, outbox, logs
    std::string scope;      // [bundle] scope: only bundles of this scope are installed
    std::vector<std::string> trusted_key_files;   // [bundle] trusted_keys: minisign .pub files
    uint64_t max_bundle_bytes = 200ull << 20;     // [bundle] max_size_mb
    int idle_timeout_s = 90;                      // [ui] idle_timeout_s
    Renderer renderer = Renderer::automatic;      // [ui] renderer
    uint64_t outbox_max_items = 5000;             // [submit] max_items
    uint64_t outbox_max_bytes = 50ull << 20;      // [submit] max_mb
    uint64_t min_free_disk_bytes = 200ull << 20;  // [submit] min_free_disk_mb
    int64_t rating_cooldown_s = 30 * 60;          // [submit] rating_cooldown_min
    std::string printer_device;  // [printer] device: ESC/POS receipt printer; empty for none
    // [hub]: the county hub (kiosk/core/sync). The URL and CA are what `kioskctl enroll` uses
    // when not given; after enrolment the enrolled URL is used and ca_file, when set, overrides
    // the CA copied at enrolment.
    std::string hub_url;             // [hub] url: "https://..."; empty: no hub configured
    std::string hub_ca_file;         // [hub] ca_file
    std::string hub_pin_sha256;      // [hub] pin_sha256: base64 sha256 of the hub's public key
    int hub_heartbeat_s = 300;       // [hub] heartbeat_s
    int hub_upload_batch = 100;      // [hub] upload_batch (1 to sync::kMaxBatchItems)
    int hub_backoff_cap_s = 300;     // [hub] backoff_cap_s
    int hub_connect_timeout_s = 10;  // [hub] connect_timeout_s
    int hub_timeout_s = 60;          // [hub] timeout_s
};

// Parses TOML text. Relative paths are resolved against the directory of `file`.
// Every mistake is reported as "file: key 'a.b' ..." (or "file:line:col: ..." for syntax).
Result<Config> parse_config(std::string_view text, const std::string& file);
Result<Config> load_config(const std::string& file);

}  // namespace kiosk::config
