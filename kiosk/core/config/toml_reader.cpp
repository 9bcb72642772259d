#include "config/toml_reader.hpp"

#include <filesystem>

namespace kiosk::config {

Result<toml::table> parse_toml_checked(std::string_view text, const std::string& file,
                                       const KnownKeys& known_keys) {
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        return make_error("config", file + ":" + std::to_string(e.source().begin.line) + ":" +
                                        std::to_string(e.source().begin.column) + ": " +
                                        std::string(e.description()));
    }
    for (auto&& [section_key, section_node] : root) {
        std::string section(section_key.str());
        auto known = known_keys.find(section);
        if (known == known_keys.end()) {
            return make_error("config",
                              where(file, section_node) + ": unknown section '" + section + "'");
        }
        const toml::table* table = section_node.as_table();
        if (!table) {
            return make_error("config", where(file, section_node) + ": '" + section +
                                            "' must be a [section]");
        }
        for (auto&& [key, node] : *table) {
            if (!known->second.count(std::string(key.str()))) {
                return make_error("config", where(file, node) + ": unknown key '" + section + "." +
                                                std::string(key.str()) + "'");
            }
        }
    }
    return root;
}

std::string folder_of(const std::string& file) {
    auto slash = file.find_last_of('/');
    return slash == std::string::npos ? "." : file.substr(0, slash);
}

std::string resolve_path(const std::string& base_dir, const std::string& p) {
    std::filesystem::path path(p);
    if (path.is_relative())
        path = std::filesystem::absolute(std::filesystem::path(base_dir) / path);
    return path.lexically_normal().string();
}

std::string where(const std::string& file, const toml::node& node) {
    const auto& src = node.source();
    if (src.begin.line == 0) return file;
    return file + ":" + std::to_string(src.begin.line);
}

Error bad_value(const toml::table& root, const std::string& file, const char* key,
                const std::string& what) {
    const toml::node* node = root.at_path(key).node();
    return make_error("config", (node ? where(file, *node) : file) + ": key '" + key + "' " + what);
}

}  // namespace kiosk::config
