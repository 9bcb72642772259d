// What every TOML configuration here (the kiosk's, the hub's) reads the same way: parse errors as
// "file:line:col: ...", unknown sections and keys refused with their line, relative paths taken
// from the file's folder, and "file:line: key 'a.b' ..." for a bad value.
#pragma once

#include <toml++/toml.h>

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::config {

using KnownKeys = std::map<std::string, std::set<std::string>>;

// Parses `text` (named `file` in messages) and refuses a section or key not in `known`.
Result<toml::table> parse_toml_checked(std::string_view text, const std::string& file,
                                       const KnownKeys& known);

// The folder `file` is in ("." for a bare name), against which relative paths are taken.
std::string folder_of(const std::string& file);

// `p` made absolute against `base_dir` when relative, and normalised, so that a daemon started
// from anywhere (and the messages it prints) agree on it.
std::string resolve_path(const std::string& base_dir, const std::string& p);

// "file:line" of a node ("file" when the node has no position).
std::string where(const std::string& file, const toml::node& node);

// The error for a bad value at `key`: "file:line: key 'a.b' <what>".
Error bad_value(const toml::table& root, const std::string& file, const char* key,
                const std::string& what);

}  // namespace kiosk::config
