// Parses and checks kiosk.toml: unknown keys and bad values are errors, not silently ignored.
#include "config/config.hpp"

#include <toml++/toml.h>

#include "config/toml_reader.hpp"
#include "util/file_io.hpp"

namespace kiosk::config {

namespace {

// Every key the kiosk understands; anything else is a typo a technician should hear about.
const KnownKeys kKnownKeys = {
    {"paths", {"state_dir"}},
    {"bundle", {"scope", "trusted_keys", "max_size_mb"}},
    {"ui", {"idle_timeout_s", "renderer"}},
    {"submit", {"max_items", "max_mb", "min_free_disk_mb", "rating_cooldown_min"}},
    {"printer", {"device"}},
    {"hub",
     {"url", "ca_file", "pin_sha256", "heartbeat_s", "upload_batch", "backoff_cap_s",
      "connect_timeout_s", "timeout_s"}},
    {"assets", {"font_regular", "font_bold", "pinyin_dictionary", "handwriting_model"}},
    {"maintenance", {"pin_hash", "usb_root"}},
};

}  // namespace

Result<Config> parse_config(std::string_view text, const std::string& file) {
    auto parsed = parse_toml_checked(text, file, kKnownKeys);
    if (!parsed) return parsed.error();
    const toml::table& root = *parsed;
    Config cfg;
    cfg.file = file;
    const std::string base = folder_of(file);

    auto bad = [&](const char* key, const std::string& what) {
        return bad_value(root, file, key, what);
    };

    if (auto node = root.at_path("paths.state_dir")) {
        auto v = node.value<std::string>();
        if (!v || v->empty()) return bad("paths.state_dir", "must be a non-empty path");
        cfg.state_dir = resolve_path(base, *v);
    } else {
        return make_error("config", file + ": missing required key 'paths.state_dir' (where the "
                                           "kiosk keeps bundles and its queue)");
    }

    if (auto node = root.at_path("bundle.scope")) {
        auto v = node.value<std::string>();
        if (!v || v->empty()) return bad("bundle.scope", "must be a non-empty string");
        cfg.scope = *v;
    } else {
        return make_error("config", file + ": missing required key 'bundle.scope' (the county "
                                           "scope whose bundles this kiosk accepts)");
    }

    if (auto node = root.at_path("bundle.trusted_keys")) {
        const toml::array* arr = node.as_array();
        if (!arr || arr->empty() || arr->size() > 2) {
            return bad("bundle.trusted_keys", "must list one or two public key files");
        }
        for (const auto& item : *arr) {
            auto v = item.value<std::string>();
            if (!v || v->empty()) return bad("bundle.trusted_keys", "must hold file paths");
            cfg.trusted_key_files.push_back(resolve_path(base, *v));
        }
    } else {
        return make_error("config", file + ": missing required key 'bundle.trusted_keys' (the "
                                           "county's public signing key files)");
    }

    if (auto node = root.at_path("bundle.max_size_mb")) {
        auto v = node.value<int64_t>();
        if (!v || *v <= 0 || *v > 4096 || !node.is_integer()) {
            return bad("bundle.max_size_mb", "must be an integer from 1 to 4096");
        }
        cfg.max_bundle_bytes = static_cast<uint64_t>(*v) << 20;
    }

    if (auto node = root.at_path("ui.idle_timeout_s")) {
        auto v = node.value<int64_t>();
        if (!v || !node.is_integer() || *v < 15 || *v > 3600) {
            return bad("ui.idle_timeout_s", "must be an integer from 15 to 3600 seconds");
        }
        cfg.idle_timeout_s = static_cast<int>(*v);
    }
    if (auto node = root.at_path("ui.renderer")) {
        auto v = node.value<std::string>();
        if (v && *v == "auto")
            cfg.renderer = Renderer::automatic;
        else if (v && *v == "opengl")
            cfg.renderer = Renderer::opengl;
        else if (v && *v == "software")
            cfg.renderer = Renderer::software;
        else
            return bad("ui.renderer", "must be \"auto\", \"opengl\" or \"software\"");
    }

    // An integer key in [lo, hi]; absent keeps the default.
    auto integer = [&](const char* key, int64_t lo, int64_t hi, const std::string& unit,
                       auto&& store) -> Status {
        auto node = root.at_path(key);
        if (!node) return {};
        auto v = node.value<int64_t>();
        if (!v || !node.is_integer() || *v < lo || *v > hi) {
            return bad(key, "must be an integer from " + std::to_string(lo) + " to " +
                                std::to_string(hi) + unit);
        }
        store(*v);
        return {};
    };
    KIOSK_TRY(integer("submit.max_items", 10, 1000000, "",
                      [&](int64_t v) { cfg.outbox_max_items = static_cast<uint64_t>(v); }));
    KIOSK_TRY(integer("submit.max_mb", 1, 4096, " MiB",
                      [&](int64_t v) { cfg.outbox_max_bytes = static_cast<uint64_t>(v) << 20; }));
    KIOSK_TRY(integer("submit.min_free_disk_mb", 0, 1 << 20, " MiB", [&](int64_t v) {
        cfg.min_free_disk_bytes = static_cast<uint64_t>(v) << 20;
    }));
    KIOSK_TRY(integer("submit.rating_cooldown_min", 0, 7 * 24 * 60, " minutes",
                      [&](int64_t v) { cfg.rating_cooldown_s = v * 60; }));

    if (auto node = root.at_path("printer.device")) {
        auto v = node.value<std::string>();
        if (!v)
            return bad("printer.device", "must be a device path such as \"/dev/usb/lp0\", or "
                                         "\"\" for no printer");
        cfg.printer_device = v->empty() ? std::string() : resolve_path(base, *v);
    }

    if (auto node = root.at_path("hub.url")) {
        auto v = node.value<std::string>();
        // Only https: no setting can turn off verification, and plain http would.
        if (!v || (!v->empty() && (v->rfind("https://", 0) != 0 || v->size() <= 8)))
            return bad("hub.url", "must be an https:// URL such as \"https://hub.county.example\"");
        cfg.hub_url = *v;
        while (!cfg.hub_url.empty() && cfg.hub_url.back() == '/')
            cfg.hub_url.pop_back();
    }
    if (auto node = root.at_path("hub.ca_file")) {
        auto v = node.value<std::string>();
        if (!v) return bad("hub.ca_file", "must be the path of the hub's CA certificate (PEM)");
        cfg.hub_ca_file = v->empty() ? std::string() : resolve_path(base, *v);
    }
    if (auto node = root.at_path("hub.pin_sha256")) {
        auto v = node.value<std::string>();
        std::string b64 = v ? *v : std::string();
        if (b64.rfind("sha256//", 0) == 0) b64 = b64.substr(8);
        if (!v || (!b64.empty() && (b64.size() != 44 || b64.back() != '=')))
            return bad("hub.pin_sha256", "must be the base64 sha256 of the hub's public key "
                                         "(44 characters), or \"\" for no pin");
        cfg.hub_pin_sha256 = b64;
    }
    KIOSK_TRY(integer("hub.heartbeat_s", 10, 86400, " seconds",
                      [&](int64_t v) { cfg.hub_heartbeat_s = int(v); }));
    KIOSK_TRY(integer("hub.upload_batch", 1, 100, " items",
                      [&](int64_t v) { cfg.hub_upload_batch = int(v); }));
    KIOSK_TRY(integer("hub.backoff_cap_s", 5, 3600, " seconds",
                      [&](int64_t v) { cfg.hub_backoff_cap_s = int(v); }));
    KIOSK_TRY(integer("hub.connect_timeout_s", 1, 300, " seconds",
                      [&](int64_t v) { cfg.hub_connect_timeout_s = int(v); }));
    KIOSK_TRY(integer("hub.timeout_s", 5, 3600, " seconds",
                      [&](int64_t v) { cfg.hub_timeout_s = int(v); }));
    // A non-empty path; absent keeps the default.
    auto path = [&](const char* key, std::string& store) -> Status {
        auto node = root.at_path(key);
        if (!node) return {};
        auto v = node.value<std::string>();
        if (!v || v->empty()) return bad(key, "must be a non-empty path");
        store = resolve_path(base, *v);
        return {};
    };
    KIOSK_TRY(path("assets.font_regular", cfg.font_regular));
    KIOSK_TRY(path("assets.font_bold", cfg.font_bold));
    KIOSK_TRY(path("assets.pinyin_dictionary", cfg.pinyin_dictionary));
    KIOSK_TRY(path("assets.handwriting_model", cfg.handwriting_model));
    KIOSK_TRY(path("maintenance.usb_root", cfg.usb_root));
    if (auto node = root.at_path("maintenance.pin_hash")) {
        auto v = node.value<std::string>();
        if (!v || (!v->empty() && v->rfind("$argon2id$", 0) != 0)) {
            return bad(
                "maintenance.pin_hash",
                "must be an Argon2id string made by `kioskctl pin-hash` (\"$argon2id$...\"), "
                "or \"\" for no maintenance screen");
        }
        cfg.maintenance_pin_hash = *v;
    }
    return cfg;
}

Result<Config> load_config(const std::string& file) {
    auto text = util::read_file(file, 1 << 20);
    if (!text) return make_error("config", "cannot read configuration: " + text.error().message);
    return parse_config(*text, file);
}

}  // namespace kiosk::config
