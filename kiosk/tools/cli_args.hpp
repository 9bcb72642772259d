// A small command-line parser shared by kiosk-bundle and kioskctl: positionals, --opt VALUE,
// --flag.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace kiosk::tools {

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  // "--out" -> "x.kbundle"
    std::set<std::string> flags;                 // "--json"

    bool has(const std::string& flag) const { return flags.count(flag) > 0; }
    std::string get(const std::string& option, const std::string& fallback = "") const {
        auto it = options.find(option);
        return it == options.end() ? fallback : it->second;
    }
};

// Parses argv[start..]; an option not named in `with_value` or `flags` is an error.
Result<Args> parse_args(int argc, char** argv, int start, const std::set<std::string>& with_value,
                        const std::set<std::string>& flags);

// Prints "program: message" to stderr and returns the exit code.
int fail(const char* program, const std::string& message, int code = 1);

// Command-line manners: `--help` or `-h` anywhere prints the usage and where the manual is on
// stdout (exit 0); `--version` as the first argument prints "program (Sunshine Kiosk) X.Y.Z"
// (exit 0; only first, since `kiosk-bundle build` has a `--version N` option). Returns the exit
// status when one of them was asked for, -1 otherwise.
int answer_help_or_version(int argc, char** argv, const char* program, const char* usage);

}  // namespace kiosk::tools
