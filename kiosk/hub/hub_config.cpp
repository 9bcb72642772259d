// Parses and checks the hub's TOML configuration: unknown keys and bad values are errors.
#include "hub/hub_config.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <map>
#include <set>

#include "util/file_io.hpp"

namespace kiosk::hub {

namespace {

const std::map<std::string, std::set<std::string>> kKnownKeys = {
    {"listen", {"address", "port"}},
    {"tls", {"cert", "key"}},
    {"storage", {"database", "publish_dir"}},
    {"bundle", {"scope", "trusted_keys", "max_size_mb"}},
    {"limits",
     {"max_body_bytes", "read_timeout_s", "write_timeout_s", "keep_alive_max_count",
      "keep_alive_timeout_s", "threads", "receipt_delay_ms", "receipt_lookups_per_minute"}},
    {"fleet", {"offline_after_min"}},
    {"replies", {"deadline_days"}},
};

std::string resolve(const std::string& base_dir, const std::string& p) {
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

}  // namespace

Result<HubConfig> parse_hub_config(std::string_view text, const std::string& file) {
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        return make_error("config", file + ":" + std::to_string(e.source().begin.line) + ":" +
                                        std::to_string(e.source().begin.column) + ": " +
                                        std::string(e.description()));
    }
    HubConfig cfg;
    cfg.file = file;
    auto slash = file.find_last_of('/');
    const std::string base = slash == std::string::npos ? "." : file.substr(0, slash);

    for (auto&& [section_key, section_node] : root) {
        std::string section(section_key.str());
        auto known = kKnownKeys.find(section);
        if (known == kKnownKeys.end())
            return make_error("config",
                              where(file, section_node) + ": unknown section '" + section + "'");
        const toml::table* table = section_node.as_table();
        if (!table)
            return make_error("config", where(file, section_node) + ": '" + section +
                                            "' must be a [section]");
        for (auto&& [key, node] : *table) {
            if (!known->second.count(std::string(key.str())))
                return make_error("config", where(file, node) + ": unknown key '" + section + "." +
                                                std::string(key.str()) + "'");
        }
    }

    auto bad = [&](const char* key, const std::string& what) {
        const toml::node* node = root.at_path(key).node();
        return make_error("config",
                          (node ? where(file, *node) : file) + ": key '" + key + "' " + what);
    };
    auto text_key = [&](const char* key, bool path, std::string& out) -> Status {
        auto node = root.at_path(key);
        if (!node) return make_error("config", file + ": missing required key '" + key + "'");
        auto v = node.value<std::string>();
        if (!v || v->empty() || !node.is_string()) return bad(key, "must be a non-empty string");
        out = path ? resolve(base, *v) : *v;
        return {};
    };
    auto integer = [&](const char* key, int64_t lo, int64_t hi, auto&& store) -> Status {
        auto node = root.at_path(key);
        if (!node) return {};
        auto v = node.value<int64_t>();
        if (!v || !node.is_integer() || *v < lo || *v > hi)
            return bad(key, "must be an integer from " + std::to_string(lo) + " to " +
                                std::to_string(hi));
        store(*v);
        return {};
    };

    if (root.at_path("listen.address")) KIOSK_TRY(text_key("listen.address", false, cfg.address));
    KIOSK_TRY(integer("listen.port", 0, 65535, [&](int64_t v) { cfg.port = int(v); }));
    KIOSK_TRY(text_key("tls.cert", true, cfg.tls_cert));
    KIOSK_TRY(text_key("tls.key", true, cfg.tls_key));
    KIOSK_TRY(text_key("storage.database", true, cfg.database));
    KIOSK_TRY(text_key("storage.publish_dir", true, cfg.publish_dir));
    KIOSK_TRY(text_key("bundle.scope", false, cfg.scope));
    if (auto node = root.at_path("bundle.trusted_keys")) {
        const toml::array* arr = node.as_array();
        if (!arr || arr->empty() || arr->size() > 2)
            return bad("bundle.trusted_keys", "must list one or two public key files");
        for (const auto& item : *arr) {
            auto v = item.value<std::string>();
            if (!v || v->empty()) return bad("bundle.trusted_keys", "must hold file paths");
            cfg.trusted_key_files.push_back(resolve(base, *v));
        }
    } else {
        return make_error("config", file + ": missing required key 'bundle.trusted_keys' (the "
                                           "county's public signing key files)");
    }
    KIOSK_TRY(integer("bundle.max_size_mb", 1, 4096,
                      [&](int64_t v) { cfg.max_bundle_bytes = static_cast<uint64_t>(v) << 20; }));
    HubLimits& l = cfg.limits;
    KIOSK_TRY(integer("limits.max_body_bytes", 1024, 64 << 20,
                      [&](int64_t v) { l.max_body_bytes = uint64_t(v); }));
    KIOSK_TRY(
        integer("limits.read_timeout_s", 1, 600, [&](int64_t v) { l.read_timeout_s = int(v); }));
    KIOSK_TRY(
        integer("limits.write_timeout_s", 1, 600, [&](int64_t v) { l.write_timeout_s = int(v); }));
    KIOSK_TRY(integer("limits.keep_alive_max_count", 1, 100000,
                      [&](int64_t v) { l.keep_alive_max_count = int(v); }));
    KIOSK_TRY(integer("limits.keep_alive_timeout_s", 1, 600,
                      [&](int64_t v) { l.keep_alive_timeout_s = int(v); }));
    KIOSK_TRY(integer("limits.threads", 1, 256, [&](int64_t v) { l.threads = int(v); }));
    KIOSK_TRY(integer("limits.receipt_delay_ms", 0, 5000,
                      [&](int64_t v) { l.receipt_delay_ms = int(v); }));
    KIOSK_TRY(integer("limits.receipt_lookups_per_minute", 1, 100000,
                      [&](int64_t v) { l.receipt_lookups_per_minute = int(v); }));
    KIOSK_TRY(integer("fleet.offline_after_min", 1, 60 * 24 * 365,
                      [&](int64_t v) { cfg.offline_after_s = v * 60; }));
    KIOSK_TRY(integer("replies.deadline_days", 1, 365, [&](int64_t v) { cfg.reply_days = v; }));
    return cfg;
}

Result<HubConfig> load_hub_config(const std::string& file) {
    auto text = util::read_file(file, 1 << 20);
    if (!text) return make_error("config", "cannot read configuration: " + text.error().message);
    return parse_hub_config(*text, file);
}

}  // namespace kiosk::hub
