// Replay scripts: the lines `kiosk --replay SCRIPT` plays, parsed into commands.
#pragma once

#include <string>
#include <vector>

#include "util/result.hpp"

namespace kiosk::app {

struct Command {
    std::string verb;   // tap, drag, keys, pinyin, wait, idle, shot, expect-screen, expect-text
    std::string text;   // the quoted argument, or the name
    std::string text2;  // a second quoted argument (expect-text-in "target" "text")
    std::vector<double> numbers;  // coordinates, milliseconds, seconds, candidate index
    int line = 0;
};

// One command per line; blank lines and lines starting with '#' are skipped.
// Errors name the script line: "script.txt:3: tap needs a \"label\" or X Y".
Result<std::vector<Command>> parse_script(const std::string& text, const std::string& file);

}  // namespace kiosk::app
