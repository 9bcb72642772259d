// What the sync worker remembers between runs, in <state_dir>/sync/state.json (written
// atomically after each pass): so `kioskctl status` can show the last upload and the last error
// of the kiosk's worker, and a refused bundle is not downloaded again after a restart.
#pragma once

#include <cstdint>
#include <string>

#include "util/result.hpp"

namespace kiosk::sync {

struct SyncRecord {
    int64_t last_upload_at = 0;     // last batch the hub took
    int64_t last_heartbeat_at = 0;  // last heartbeat answered
    int64_t last_attempt_at = 0;
    bool online = false;  // the last attempt reached the hub
    std::string last_error;
    int64_t last_error_at = 0;
    bool clock_offset_known = false;
    int64_t clock_offset_s = 0;  // hub − local at the last heartbeat
    // The bundle the installer (or the download's check) refused: not fetched again.
    int64_t refused_bundle_version = 0;
    std::string refused_bundle_sha256;
    std::string refused_bundle_reason;
};

std::string sync_record_path(const std::string& state_dir);
// A missing file is an empty record; a damaged one too (it is only a memo).
SyncRecord read_sync_record(const std::string& state_dir);
Status write_sync_record(const std::string& state_dir, const SyncRecord& r);

}  // namespace kiosk::sync
