// The sync worker's memo file.
#include "sync/sync_record.hpp"

#include <nlohmann/json.hpp>

#include "sync/enrollment.hpp"
#include "util/file_io.hpp"

namespace kiosk::sync {

std::string sync_record_path(const std::string& state_dir) {
    return sync_dir(state_dir) + "/state.json";
}

SyncRecord read_sync_record(const std::string& state_dir) {
    SyncRecord r;
    auto text = util::read_file(sync_record_path(state_dir), 64 * 1024);
    if (!text) return r;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object()) return r;
    try {
        r.last_upload_at = j.value("last_upload_at", int64_t(0));
        r.last_heartbeat_at = j.value("last_heartbeat_at", int64_t(0));
        r.last_attempt_at = j.value("last_attempt_at", int64_t(0));
        r.online = j.value("online", false);
        r.last_error = j.value("last_error", std::string());
        r.last_error_at = j.value("last_error_at", int64_t(0));
        r.clock_offset_known = j.value("clock_offset_known", false);
        r.clock_offset_s = j.value("clock_offset_s", int64_t(0));
        r.refused_bundle_version = j.value("refused_bundle_version", int64_t(0));
        r.refused_bundle_sha256 = j.value("refused_bundle_sha256", std::string());
        r.refused_bundle_reason = j.value("refused_bundle_reason", std::string());
    } catch (const std::exception&) {
        return SyncRecord{};
    }
    return r;
}

Status write_sync_record(const std::string& state_dir, const SyncRecord& r) {
    nlohmann::ordered_json j = {{"last_upload_at", r.last_upload_at},
                                {"last_heartbeat_at", r.last_heartbeat_at},
                                {"last_attempt_at", r.last_attempt_at},
                                {"online", r.online},
                                {"last_error", r.last_error},
                                {"last_error_at", r.last_error_at},
                                {"clock_offset_known", r.clock_offset_known},
                                {"clock_offset_s", r.clock_offset_s},
                                {"refused_bundle_version", r.refused_bundle_version},
                                {"refused_bundle_sha256", r.refused_bundle_sha256},
                                {"refused_bundle_reason", r.refused_bundle_reason}};
    return write_private_file(sync_record_path(state_dir), j.dump(2) + "\n", 0600);
}

}  // namespace kiosk::sync
