// Typed TOML field reading with errors that point at the line in the source file.
#include "content/toml_fields.hpp"

#include <cstdio>
#include <cstring>

#include "util/utf8.hpp"

namespace kiosk::content {

int FieldReader::line_of(const toml::node& node) const {
    int line = static_cast<int>(node.source().begin.line);
    return line > 0 ? line + offset_ : table_line_;
}

int FieldReader::line_of(const char* key) const {
    const toml::node* node = table_.get(key);
    return node ? line_of(*node) : table_line_;
}

std::string FieldReader::string(const char* key, bool required, size_t max_chars) {
    const toml::node* node = table_.get(key);
    if (!node) {
        if (required) error(table_line_, std::string("missing field '") + key + "'");
        return {};
    }
    auto v = node->value<std::string>();
    if (!node->is_string() || !v) {
        error(line_of(*node), std::string("'") + key + "' must be a string in quotes");
        return {};
    }
    if (required && v->find_first_not_of(" \t\r\n") == std::string::npos) {
        error(line_of(*node), std::string("'") + key + "' must not be empty");
    }
    if (util::count_code_points(*v) > max_chars) {
        error(line_of(*node), std::string("'") + key + "' is longer than " +
                                  std::to_string(max_chars) + " characters");
    }
    return *v;
}

std::string FieldReader::date(const char* key, bool required) {
    const toml::node* node = table_.get(key);
    if (!node) {
        if (required) error(table_line_, std::string("missing field '") + key + "'");
        return {};
    }
    if (auto d = node->value<toml::date>(); d && node->is_date()) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", unsigned(d->year), unsigned(d->month),
                      unsigned(d->day));
        return buf;
    }
    error(line_of(*node), std::string("'") + key + "' must be a date like 2026-05-10");
    return {};
}

int64_t FieldReader::integer(const char* key, int64_t fallback, int64_t min, int64_t max) {
    const toml::node* node = table_.get(key);
    if (!node) return fallback;
    auto v = node->value<int64_t>();
    if (!node->is_integer() || !v || *v < min || *v > max) {
        error(line_of(*node), std::string("'") + key + "' must be an integer from " +
                                  std::to_string(min) + " to " + std::to_string(max));
        return fallback;
    }
    return *v;
}

std::vector<std::string> FieldReader::strings(const char* key, bool required) {
    std::vector<std::string> out;
    const toml::node* node = table_.get(key);
    if (!node) {
        if (required) error(table_line_, std::string("missing field '") + key + "'");
        return out;
    }
    const toml::array* arr = node->as_array();
    if (!arr) {
        error(line_of(*node),
              std::string("'") + key + "' must be a list of strings [\"…\", \"…\"]");
        return out;
    }
    for (const auto& item : *arr) {
        auto v = item.value<std::string>();
        if (!item.is_string() || !v || v->empty()) {
            error(line_of(item), std::string("'") + key + "' must hold non-empty strings");
            continue;
        }
        out.push_back(*v);
    }
    if (required && out.empty() && arr->empty()) {
        error(line_of(*node), std::string("'") + key + "' must not be empty");
    }
    return out;
}

const toml::array* FieldReader::tables(const char* key, bool required) {
    const toml::node* node = table_.get(key);
    if (!node) {
        if (required) error(table_line_, std::string("missing [[") + key + "]]");
        return nullptr;
    }
    const toml::array* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables()) {
        error(line_of(*node),
              std::string("'") + key + "' must be written as [[" + key + "]] tables");
        return nullptr;
    }
    if (required && arr->empty()) error(line_of(*node), std::string("[[") + key + "]] is empty");
    return arr;
}

void FieldReader::reject_unknown(std::initializer_list<const char*> allowed) {
    for (auto&& [key, node] : table_) {
        bool ok = false;
        for (const char* a : allowed)
            ok = ok || key.str() == a;
        if (!ok) error(line_of(node), "unknown field '" + std::string(key.str()) + "'");
    }
}

bool is_valid_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

}  // namespace kiosk::content
