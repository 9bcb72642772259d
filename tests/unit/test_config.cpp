// Configuration: defaults, required keys, unknown keys and bad values named with file and key.
#include <doctest/doctest.h>

#include "config/config.hpp"

using kiosk::config::parse_config;

namespace {
const char* const kGood = R"(
[paths]
state_dir = "state"
[bundle]
scope = "demo-county"
trusted_keys = ["keys/a.pub", "/etc/kiosk/b.pub"]
)";
}

TEST_CASE("a minimal configuration gets defaults and resolves paths against its folder") {
    auto cfg = parse_config(kGood, "/etc/kiosk/kiosk.toml");
    REQUIRE(cfg.ok());
    CHECK(cfg->state_dir == "/etc/kiosk/state");
    CHECK(cfg->scope == "demo-county");
    REQUIRE(cfg->trusted_key_files.size() == 2);
    CHECK(cfg->trusted_key_files[0] == "/etc/kiosk/keys/a.pub");
    CHECK(cfg->trusted_key_files[1] == "/etc/kiosk/b.pub");
    CHECK(cfg->max_bundle_bytes == 200ull << 20);
    CHECK(cfg->idle_timeout_s == 90);
}

TEST_CASE("an unknown key is reported with the file, line and key") {
    std::string text = std::string(kGood) + "max_sise_mb = 3\n";
    auto cfg = parse_config(text, "k.toml");
    REQUIRE_FALSE(cfg.ok());
    CHECK(cfg.error().message == "k.toml:7: unknown key 'bundle.max_sise_mb'");
}

TEST_CASE("an unknown section is reported") {
    auto cfg = parse_config(std::string(kGood) + "[hubb]\nurl = \"x\"\n", "k.toml");
    REQUIRE_FALSE(cfg.ok());
    CHECK(cfg.error().message.find("unknown section 'hubb'") != std::string::npos);
}

TEST_CASE("a bad value is reported with its key and what is allowed") {
    auto cfg = parse_config(std::string(kGood) + "max_size_mb = \"big\"\n", "k.toml");
    REQUIRE_FALSE(cfg.ok());
    CHECK(cfg.error().message ==
          "k.toml:7: key 'bundle.max_size_mb' must be an integer from 1 to 4096");
    auto idle = parse_config(std::string(kGood) + "[ui]\nidle_timeout_s = 2\n", "k.toml");
    REQUIRE_FALSE(idle.ok());
    CHECK(idle.error().message.find("'ui.idle_timeout_s'") != std::string::npos);
}

TEST_CASE("the renderer is chosen by name, automatic unless said") {
    auto dflt = parse_config(kGood, "k.toml");
    REQUIRE(dflt.ok());
    CHECK(dflt->renderer == kiosk::config::Renderer::automatic);
    auto soft = parse_config(std::string(kGood) + "[ui]\nrenderer = \"software\"\n", "k.toml");
    REQUIRE(soft.ok());
    CHECK(soft->renderer == kiosk::config::Renderer::software);
    auto gl = parse_config(std::string(kGood) + "[ui]\nrenderer = \"opengl\"\n", "k.toml");
    REQUIRE(gl.ok());
    CHECK(gl->renderer == kiosk::config::Renderer::opengl);
    auto typo = parse_config(std::string(kGood) + "[ui]\nrenderer = \"vulkan\"\n", "k.toml");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().message ==
          "k.toml:8: key 'ui.renderer' must be \"auto\", \"opengl\" or \"software\"");
}

TEST_CASE("a missing required value stops with a clear message") {
    auto cfg =
        parse_config("[paths]\nstate_dir = \"s\"\n[bundle]\ntrusted_keys = [\"a\"]\n", "k.toml");
    REQUIRE_FALSE(cfg.ok());
    CHECK(cfg.error().message.find("missing required key 'bundle.scope'") != std::string::npos);
    auto keys = parse_config(
        "[paths]\nstate_dir = \"s\"\n[bundle]\nscope = \"x\"\ntrusted_keys = []\n", "k.toml");
    REQUIRE_FALSE(keys.ok());
    CHECK(keys.error().message.find("one or two public key files") != std::string::npos);
}

TEST_CASE("a TOML syntax error is reported with line and column") {
    auto cfg = parse_config("[paths\nstate_dir = 1\n", "k.toml");
    REQUIRE_FALSE(cfg.ok());
    CHECK(cfg.error().message.rfind("k.toml:1:", 0) == 0);
}

TEST_CASE("the committed configuration files are valid") {
    for (const char* f : {"/config/kiosk.toml", "/config/kiosk.dev.toml"}) {
        auto cfg = kiosk::config::load_config(std::string(KIOSK_SOURCE_DIR) + f);
        if (!cfg) MESSAGE(cfg.error().message);
        CHECK(cfg.ok());
    }
}

TEST_CASE("the submission limits and the printer have defaults and can be set") {
    auto dflt = parse_config(kGood, "k.toml");
    REQUIRE(dflt.ok());
    CHECK(dflt->outbox_max_items == 5000);
    CHECK(dflt->outbox_max_bytes == 50ull << 20);
    CHECK(dflt->min_free_disk_bytes == 200ull << 20);
    CHECK(dflt->rating_cooldown_s == 30 * 60);
    CHECK(dflt->printer_device.empty());
    auto set = parse_config(std::string(kGood) +
                                "[submit]\nmax_items = 100\nmax_mb = 2\nmin_free_disk_mb = 0\n"
                                "rating_cooldown_min = 0\n[printer]\ndevice = \"/dev/usb/lp0\"\n",
                            "/etc/kiosk/k.toml");
    REQUIRE(set.ok());
    CHECK(set->outbox_max_items == 100);
    CHECK(set->outbox_max_bytes == 2ull << 20);
    CHECK(set->min_free_disk_bytes == 0);
    CHECK(set->rating_cooldown_s == 0);
    CHECK(set->printer_device == "/dev/usb/lp0");
    auto none = parse_config(std::string(kGood) + "[printer]\ndevice = \"\"\n", "k.toml");
    REQUIRE(none.ok());
    CHECK(none->printer_device.empty());
}

TEST_CASE("submission limits out of range or of the wrong type are named") {
    auto zero = parse_config(std::string(kGood) + "[submit]\nmax_items = 0\n", "k.toml");
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.error().message ==
          "k.toml:8: key 'submit.max_items' must be an integer from 10 to 1000000");
    auto text = parse_config(std::string(kGood) + "[submit]\nmax_mb = \"50\"\n", "k.toml");
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().message.find("'submit.max_mb' must be an integer from 1 to 4096 MiB") !=
          std::string::npos);
    auto week = parse_config(std::string(kGood) + "[submit]\nrating_cooldown_min = 20000\n", "k");
    REQUIRE_FALSE(week.ok());
    CHECK(week.error().message.find("'submit.rating_cooldown_min'") != std::string::npos);
    auto typo = parse_config(std::string(kGood) + "[submit]\nmax_item = 10\n", "k.toml");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().message == "k.toml:8: unknown key 'submit.max_item'");
    auto printer = parse_config(std::string(kGood) + "[printer]\ndevice = 1\n", "k.toml");
    REQUIRE_FALSE(printer.ok());
    CHECK(printer.error().message.find("'printer.device'") != std::string::npos);
}
