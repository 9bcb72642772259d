// kioskctl selftest and pin-hash: what a technician runs on a terminal before walking away.
#pragma once

#include <string>

#include "config/config.hpp"

namespace kiosk::tools {

// `selftest [--json]`: fonts, dictionary and model present; the renderer starts (a child
// `kiosk --probe-renderer`, found beside kioskctl or as KIOSK_PROGRAM); a touch device
// (/proc/bus/input/devices, or KIOSK_INPUT_DEVICES); the state directory writable with free
// space above [submit] min_free_disk_mb; the clock plausible; the trusted keys parse; the installed
// bundle verifies. One line per check, "ok ..." or "problem ...: what to do". Exit 1 on a problem.
int cmd_selftest(const config::Config& cfg, bool json);

// `pin-hash`: reads a PIN (4 to 12 digits) from stdin and prints the Argon2id string for
// [maintenance] pin_hash. Exit 2 for a PIN that is not 4 to 12 digits.
int cmd_pin_hash();

}  // namespace kiosk::tools
