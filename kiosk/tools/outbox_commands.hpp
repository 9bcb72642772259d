// kioskctl's outbox commands: the queue's state (never its content) and export to a USB stick.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace kiosk::tools {

// `outbox [--json]`: depth, bytes, oldest age, counts by kind, sent, dead.
// `outbox export DIR`: the pending items into one new file in DIR (they stay queued).
// `args` are the positionals after the program's options, starting with "outbox".
// Returns the exit code; 2 for a wrong command line.
int cmd_outbox(const config::Config& cfg, const std::vector<std::string>& args, bool json);

}  // namespace kiosk::tools
