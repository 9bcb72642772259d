// `kiosk-hub publish`: a signed bundle into the publish folder, offered to terminals from then on.
#pragma once

#include <string>
#include <vector>

#include "hub/hub_config.hpp"
#include "hub/hub_store.hpp"
#include "util/result.hpp"

namespace kiosk::hub {

// Copies FILE and FILE.minisig into the publish folder under temporary names, verifies the
// copied bytes' signature against the configured keys, checks the bundle (header, quick_check,
// scope, not expired by util::wall_now, version above every published one), then renames both
// into place (fsynced) and records them. townships empty: every township. Errors name the
// reason: bad_signature, unknown_key, scope, expired, not_newer, corrupt, io, config.
Result<PublishedBundle> publish_bundle(const HubConfig& cfg, HubStore& store,
                                       const std::string& file,
                                       const std::vector<std::string>& townships);

// Lowercase hex SHA-256 of a file's bytes, streamed.
Result<std::string> file_sha256(const std::string& path);

}  // namespace kiosk::hub
