// Parses and checks the hub's TOML configuration: unknown keys and bad values are errors.
#include "hub/hub_config.hpp"

#include <toml++/toml.h>

#include "config/toml_reader.hpp"
#include "util/file_io.hpp"

namespace kiosk::hub {

namespace {

const config::KnownKeys kKnownKeys = {
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

}  // namespace

Result<HubConfig> parse_hub_config(std::string_view text, const std::string& file) {
    auto parsed = config::parse_toml_checked(text, file, kKnownKeys);
    if (!parsed) return parsed.error();
    const toml::table& root = *parsed;
    HubConfig cfg;
    cfg.file = file;
    const std::string base = config::folder_of(file);

    auto bad = [&](const char* key, const std::string& what) {
        return config::bad_value(root, file, key, what);
    };
    auto text_key = [&](const char* key, bool path, std::string& out) -> Status {
        auto node = root.at_path(key);
        if (!node) return make_error("config", file + ": missing required key '" + key + "'");
        auto v = node.value<std::string>();
        if (!v || v->empty() || !node.is_string()) return bad(key, "must be a non-empty string");
        out = path ? config::resolve_path(base, *v) : *v;
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
            cfg.trusted_key_files.push_back(config::resolve_path(base, *v));
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
