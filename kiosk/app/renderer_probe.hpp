// `kiosk --probe-renderer`: starts SDL's video, a small hidden window and the configured renderer,
// says which, and exits. kioskctl selftest runs it in a child.
#pragma once

#include "config/config.hpp"

namespace kiosk::app {

// Prints "RENDERER on VIDEO-DRIVER (WxH display)" and returns 0, or prints what failed and
// returns 3.
int probe_renderer(const config::Config& cfg);

}  // namespace kiosk::app
