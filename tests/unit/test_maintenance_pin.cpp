// The technician PIN: Argon2id strings, the lockout schedule, the count kept in the state folder,
// and the [maintenance] and [assets] configuration keys.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config/pin.hpp"
#include "test_support.hpp"

using namespace kiosk;

TEST_CASE("a PIN hashes to an Argon2id string that matches only that PIN") {
    auto hash = config::hash_pin("246810");
    REQUIRE(hash.ok());
    CHECK(hash->rfind("$argon2id$", 0) == 0);
    CHECK(config::pin_matches(*hash, "246810"));
    CHECK_FALSE(config::pin_matches(*hash, "246811"));
    CHECK_FALSE(config::pin_matches(*hash, ""));
    CHECK_FALSE(config::pin_matches("plain-text", "246810"));
    CHECK_FALSE(config::hash_pin("12a4").ok());
    CHECK_FALSE(config::hash_pin("123").ok());
    CHECK_FALSE(config::hash_pin("1234567890123").ok());
}

TEST_CASE("three wrong PINs lock for 30 s, each further one doubles it, up to an hour") {
    CHECK(config::lockout_seconds(0) == 0);
    CHECK(config::lockout_seconds(2) == 0);
    CHECK(config::lockout_seconds(3) == 30);
    CHECK(config::lockout_seconds(4) == 60);
    CHECK(config::lockout_seconds(9) == 1920);
    CHECK(config::lockout_seconds(10) == 3600);
    CHECK(config::lockout_seconds(1000000) == 3600);
}

TEST_CASE("the count of wrong PINs is kept in the state folder and read back") {
    testing::TempDir dir;
    CHECK(config::read_pin_attempts(dir.path()).failures == 0);
    REQUIRE(config::write_pin_attempts(dir.path(), {4, 1800000000}).ok());
    auto back = config::read_pin_attempts(dir.path());
    CHECK(back.failures == 4);
    CHECK(back.locked_until == 1800000000);
    REQUIRE(util::write_file_atomic(config::pin_attempts_path(dir.path()), "garbage").ok());
    CHECK(config::read_pin_attempts(dir.path()).failures == 0);
}

TEST_CASE("the maintenance and assets keys are read, and a PIN in the clear is refused") {
    const std::string base = "[paths]\nstate_dir = \"/s\"\n[bundle]\nscope = \"x\"\n"
                             "trusted_keys = [\"k.pub\"]\n";
    auto cfg = config::parse_config(base, "/etc/kiosk/kiosk.toml");
    REQUIRE(cfg.ok());
    CHECK(cfg->maintenance_pin_hash.empty());
    CHECK(cfg->usb_root == "/media");
    CHECK(cfg->font_regular == "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    cfg = config::parse_config(base + "[maintenance]\npin_hash = \"$argon2id$v=19$x\"\n"
                                      "usb_root = \"usb\"\n[assets]\nfont_bold = \"f.ttc\"\n",
                               "/etc/kiosk/kiosk.toml");
    REQUIRE(cfg.ok());
    CHECK(cfg->maintenance_pin_hash == "$argon2id$v=19$x");
    CHECK(cfg->usb_root == "/etc/kiosk/usb");
    CHECK(cfg->font_bold == "/etc/kiosk/f.ttc");
    auto clear = config::parse_config(base + "[maintenance]\npin_hash = \"246810\"\n", "k.toml");
    REQUIRE_FALSE(clear.ok());
    CHECK(clear.error().message.find("kioskctl pin-hash") != std::string::npos);
    auto unknown = config::parse_config(base + "[maintenance]\npin = \"1\"\n", "k.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("unknown key 'maintenance.pin'") != std::string::npos);
}
