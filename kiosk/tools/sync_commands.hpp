// kioskctl's hub commands: enrol the terminal, run the sync worker by hand, show the sync state.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cli_args.hpp"
#include "config/config.hpp"
#include "store/bundle_installer.hpp"

namespace kiosk::tools {

// `enroll [--hub URL] [--ca FILE] --code CODE` (URL and CA default to kiosk.toml's [hub]).
int cmd_enroll(const config::Config& cfg, const Args& args);

// `sync --once`: one pass (heartbeat, every pending item, an offered bundle); exit 1 with the
// last error when it fails. `sync --loop --for SECONDS`: the kiosk's worker thread for that long
// (one stderr line per attempt), exit 0 if the last pass reached the hub.
int cmd_sync(const config::Config& cfg, const store::InstallPolicy& policy, const Args& args);

// The sync part of `status`: enrolment, hub, last upload, last error, queue, dead letters.
nlohmann::ordered_json sync_status_json(const config::Config& cfg);
void print_sync_status(const nlohmann::ordered_json& sync);

}  // namespace kiosk::tools
