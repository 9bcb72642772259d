// Reading typed TOML fields with file:line errors, shared by the document and list parsers.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "content/source.hpp"

namespace kiosk::content {

// A TOML table being read, with where its lines sit in the file (line_offset is added to toml's).
class FieldReader {
public:
    FieldReader(const toml::table& table, std::string file, int line_offset, int table_line,
                SourceErrors& errors)
        : table_(table), file_(std::move(file)), offset_(line_offset), table_line_(table_line),
          errors_(errors) {}

    // Each returns the value (or empty) and records an error when required and missing, or typed
    // wrong.
    std::string string(const char* key, bool required, size_t max_chars = 4000);
    std::string date(const char* key, bool required);
    int64_t integer(const char* key, int64_t fallback, int64_t min, int64_t max);
    std::vector<std::string> strings(const char* key, bool required);
    const toml::array* tables(const char* key, bool required);
    // Records an error for every key not in `allowed`.
    void reject_unknown(std::initializer_list<const char*> allowed);

    int line_of(const toml::node& node) const;
    int line_of(const char* key) const;
    void error(int line, std::string message) {
        errors_.push_back({file_, line, std::move(message)});
    }
    const std::string& file() const { return file_; }
    int offset() const { return offset_; }
    SourceErrors& errors() { return errors_; }

private:
    const toml::table& table_;
    std::string file_;
    int offset_;
    int table_line_;
    SourceErrors& errors_;
};

// Ids are what links and the kiosk use: lowercase ASCII letters, digits and '-', 1 to 64 long.
bool is_valid_id(const std::string& id);

}  // namespace kiosk::content
