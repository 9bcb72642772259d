// This terminal's membership of a county hub: the token `kioskctl enroll` obtained, kept in
// <state_dir>/sync/enrollment.json (mode 0600, written atomically) with the hub's URL, and the CA
// it was enrolled against copied to <state_dir>/sync/hub-ca.pem, so trust never depends on the USB
// stick the technician brought. Which hub and CA the worker uses (HubEndpoint): the enrolled URL
// (a token is only good at the hub that issued it) and the CA copy, unless kiosk.toml's [hub]
// ca_file names another (a county rotating its CA ships a new config); the pin comes from the
// config only.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "sync/http_client.hpp"
#include "util/result.hpp"

namespace kiosk::sync {

struct Enrollment {
    std::string kiosk_id;
    std::string township;
    std::string token;
    std::string hub_url;
    int64_t enrolled_at = 0;
};

std::string sync_dir(const std::string& state_dir);          // <state_dir>/sync
std::string enrollment_path(const std::string& state_dir);   // .../sync/enrollment.json
std::string enrolled_ca_path(const std::string& state_dir);  // .../sync/hub-ca.pem

// Writes the file through a temporary created 0600 (the token is never readable by others, not
// even for a moment), fsync, rename, fsync of the folder.
Status write_enrollment(const std::string& state_dir, const Enrollment& e);
// "not_enrolled" when there is no file; "enrollment" when it is damaged.
Result<Enrollment> read_enrollment(const std::string& state_dir);

// Writes `data` to `path` atomically with the given mode (also used for the CA copy, 0644).
Status write_private_file(const std::string& path, const std::string& data, unsigned mode);

// The hub settings the worker and the look-ups use: config [hub] plus the enrollment.
// "not_enrolled" when there is no enrollment.
struct HubEndpoint {
    Enrollment enrollment;
    HttpSettings http;
};
Result<HubEndpoint> hub_endpoint(const config::Config& cfg);

// The technician's enrolment (`kioskctl enroll`): POST /api/v1/enroll with the one-time code,
// verified against `ca_file`; on success the CA is copied and the enrollment written. A refused
// code gives "bad_code" with the hub's words; nothing is written unless it succeeds.
Result<Enrollment> enroll(const config::Config& cfg, const std::string& hub_url,
                          const std::string& ca_file, const std::string& code);

}  // namespace kiosk::sync
