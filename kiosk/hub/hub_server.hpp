// `kiosk-hub serve`: HubApi behind cpp-httplib's TLS server, every limit set from the config.
#pragma once

#include "hub/hub_config.hpp"

namespace kiosk::hub {

// Runs until SIGTERM or SIGINT; prints "listening on https://ADDR:PORT" once ready. Returns the
// process exit code.
int serve(const HubConfig& cfg);

}  // namespace kiosk::hub
