// kioskctl selftest: each check is real and cheap (a file's magic, the dictionary opened by the
// engine that uses it, the renderer started in a child), and every problem says what to do.
#include "selftest_command.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "config/pin.hpp"
#include "ime/handwriting_engine.hpp"
#include "ime/pinyin_engine.hpp"
#include "sign/minisign.hpp"
#include "store/bundle_installer.hpp"
#include "store/content_store.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace kiosk::tools {

namespace {

struct Check {
    std::string name;  // "font", "dictionary", ...
    bool ok = false;
    std::string detail;  // ok: what was found; problem: what is wrong and what to do
};

Check ok(const std::string& name, const std::string& detail) {
    return {name, true, detail};
}
Check problem(const std::string& name, const std::string& detail) {
    return {name, false, detail};
}

// An OpenType font or collection: 'ttcf', 'OTTO' or TrueType's 0x00010000 at the start.
Check check_font(const std::string& what, const std::string& path) {
    const std::string fix = ": install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set "
                            "[assets] " +
                            what + " to a font file that exists";
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return problem(what, "font file " + path + " is missing or unreadable" + fix);
    unsigned char magic[4] = {};
    const size_t n = std::fread(magic, 1, 4, f);
    std::fclose(f);
    const bool font =
        n == 4 && (std::memcmp(magic, "ttcf", 4) == 0 || std::memcmp(magic, "OTTO", 4) == 0 ||
                   std::memcmp(magic, "\0\1\0\0", 4) == 0);
    if (!font) return problem(what, "font file " + path + " is not an OpenType font" + fix);
    return ok(what, path);
}

Check check_dictionary(const std::string& path) {
    auto engine = ime::PinyinEngine::open(path);
    if (!engine)
        return problem("dictionary", engine.error().message +
                                         ": install libgooglepinyin0 or set [assets] "
                                         "pinyin_dictionary (pinyin typing is off without it)");
    return ok("dictionary", "googlepinyin " + path);
}

Check check_model(const std::string& path) {
    auto engine = ime::HandwritingEngine::open(path);
    if (!engine)
        return problem("handwriting", engine.error().message +
                                          ": install tegaki-zinnia-simplified-chinese or set "
                                          "[assets] handwriting_model (handwriting is off "
                                          "without it)");
    return ok("handwriting", "zinnia model " + path);
}

// The kiosk program starts SDL, a window and the configured renderer, and says which (a child,
// so a crashing driver cannot take the self-test with it).
Check check_renderer(const config::Config& cfg) {
    std::string program;
    if (const char* p = std::getenv("KIOSK_PROGRAM")) {
        program = p;
    } else {
        std::error_code ec;
        auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        program = (self.parent_path() / "kiosk").string();
    }
    if (::access(program.c_str(), X_OK) != 0)
        return problem("renderer", "the kiosk program " + program +
                                       " is missing: reinstall the sunshine-kiosk package");
    int out[2];
    if (::pipe(out) != 0) return problem("renderer", "cannot start a child process");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::close(out[0]);
        ::execl(program.c_str(), program.c_str(), "--config", cfg.file.c_str(), "--probe-renderer",
                static_cast<char*>(nullptr));
        _exit(127);
    }
    ::close(out[1]);
    std::string said;
    char buf[512];
    ssize_t n;
    while ((n = ::read(out[0], buf, sizeof buf)) > 0 && said.size() < 8192)
        said.append(buf, static_cast<size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    while (!said.empty() && (said.back() == '\n' || said.back() == ' '))
        said.pop_back();
    if (auto nl = said.rfind('\n'); nl != std::string::npos) said = said.substr(nl + 1);
    const bool exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    // Without a display SDL falls back to its offscreen (or dummy) driver: it draws, but nowhere.
    const bool nowhere = said.find(" on offscreen") != std::string::npos ||
                         said.find(" on dummy") != std::string::npos;
    if (exited_ok && !nowhere) return ok("renderer", said);
    const bool no_display = nowhere || said.find("display") != std::string::npos ||
                            said.find("video device") != std::string::npos;
    if (no_display)
        return problem("renderer", said + ": no display here; run the self-test inside the kiosk "
                                          "session (the kiosk unit's cage, DISPLAY or "
                                          "WAYLAND_DISPLAY set), or check the screen's cable");
    return problem("renderer",
                   (said.empty() ? "the kiosk could not start its renderer" : said) +
                       ": try [ui] renderer = \"software\"; see journalctl -u sunshine-kiosk");
}

// A touchscreen: an input device whose ABS bitmap has ABS_MT_POSITION_X and _Y (0x35, 0x36).
// The bitmap is printed as hex words, most significant first, each of the kernel's long size.
bool has_mt_position(const std::string& abs_hex) {
    std::istringstream in(abs_hex);
    std::vector<unsigned long long> words;
    std::string w;
    while (in >> w)
        words.push_back(std::strtoull(w.c_str(), nullptr, 16));
    if (words.empty()) return false;
    auto bit = [&](unsigned b) {
        const unsigned word = b / 64, off = b % 64;
        if (word >= words.size()) return false;
        return ((words[words.size() - 1 - word] >> off) & 1) != 0;
    };
    return bit(0x35) && bit(0x36);
}

Check check_touch() {
    const char* over = std::getenv("KIOSK_INPUT_DEVICES");
    const std::string path = over ? over : "/proc/bus/input/devices";
    auto text = util::read_file(path, 1 << 20);
    const std::string fix = ": plug in the touchscreen's USB cable (a touchscreen is an input "
                            "device with multi-touch positions); see /proc/bus/input/devices";
    if (!text) return problem("touch", "no input devices are listed (" + path + ")" + fix);
    std::istringstream in(*text + "\n\n");
    std::string line, name, handlers, abs;
    while (std::getline(in, line)) {
        if (line.rfind("N: Name=", 0) == 0) name = line.substr(8);
        if (line.rfind("H: Handlers=", 0) == 0) handlers = line.substr(12);
        if (line.rfind("B: ABS=", 0) == 0) abs = line.substr(7);
        if (line.empty()) {
            if (!abs.empty() && has_mt_position(abs)) {
                std::string event;
                std::istringstream hs(handlers);
                for (std::string h; hs >> h;)
                    if (h.rfind("event", 0) == 0) event = "/dev/input/" + h;
                return ok("touch", name + (event.empty() ? "" : " at " + event));
            }
            name.clear(), handlers.clear(), abs.clear();
        }
    }
    return problem("touch", "no touchscreen among the input devices" + fix);
}

std::string mib(uint64_t bytes) {
    return std::to_string(bytes >> 20) + " MiB";
}

Check check_state_dir(const config::Config& cfg) {
    const std::string probe = cfg.state_dir + "/.selftest-" + std::to_string(::getpid());
    std::error_code ec;
    std::filesystem::create_directories(cfg.state_dir, ec);
    // Free space first: a full disk also refuses the probe below, and its fix is not the owner's.
    auto free = util::free_disk_bytes(cfg.state_dir);
    if (free && *free < cfg.min_free_disk_bytes)
        return problem("disk", mib(*free) + " free in " + cfg.state_dir + ", below the floor of " +
                                   mib(cfg.min_free_disk_bytes) +
                                   " ([submit] min_free_disk_mb): free space (journalctl "
                                   "--vacuum-size=50M; export the outbox to a USB stick) or "
                                   "use a larger disk");
    if (Status st = util::write_file_atomic(probe, "selftest\n"); !st) {
        return problem("state", "the state directory " + cfg.state_dir + " is not writable (" +
                                    st.error().message +
                                    "): check that it is owned by the kiosk user, and that "
                                    "the disk is mounted read-write (mount | grep ' / ')");
    }
    std::filesystem::remove(probe, ec);
    if (!free) return problem("state", "cannot tell the free space of " + cfg.state_dir);
    return ok("state", cfg.state_dir + " writable, " + mib(*free) + " free (floor " +
                           mib(cfg.min_free_disk_bytes) + ")");
}

// __DATE__ is "Mmm dd yyyy" (and honours SOURCE_DATE_EPOCH in reproducible builds).
int64_t build_time() {
    static const char* months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const char* d = __DATE__;
    std::tm tm{};
    tm.tm_mon = static_cast<int>((std::strstr(months, std::string(d, 3).c_str()) - months) / 3);
    tm.tm_mday = std::atoi(d + 4);
    tm.tm_year = std::atoi(d + 7) - 1900;
    return static_cast<int64_t>(timegm(&tm));
}

Check check_clock() {
    const int64_t now = util::wall_now(), built = build_time();
    const std::string shown = util::format_utc_time(now);
    const std::string fix = ": set the time (timedatectl set-time 'YYYY-MM-DD HH:MM:SS', or enable "
                            "NTP with timedatectl set-ntp true) and check the board's clock "
                            "battery";
    if (now < built - 86400)
        return problem("clock", shown + " is before this program was built (" +
                                    util::format_utc_time(built, "%Y-%m-%d") + ")" + fix);
    if (now > built + 20LL * 365 * 86400)
        return problem("clock",
                       shown + " is more than 20 years after this program was built" + fix);
    return ok("clock", shown);
}

Check check_keys(const config::Config& cfg, std::vector<sign::PublicKey>& keys) {
    std::string ids;
    for (const auto& file : cfg.trusted_key_files) {
        auto key = sign::read_public_key_file(file);
        if (!key)
            return problem("keys", "trusted key " + file + ": " + key.error().message +
                                       ": copy the county's public key (county.pub from "
                                       "kiosk-bundle keygen) there again");
        keys.push_back(*key);
        ids += (ids.empty() ? "" : ", ") + key->key_id_hex();
    }
    return ok("keys", std::to_string(keys.size()) + " trusted (" + ids + ")");
}

Check check_bundle(const config::Config& cfg, const std::vector<sign::PublicKey>& keys) {
    store::InstallPolicy policy;
    policy.scope = cfg.scope;
    policy.trusted_keys = keys;
    store::BundleInstaller installer(cfg.state_dir, policy);
    auto cur = installer.current();
    const std::string fix = ": import a signed bundle (kioskctl import BUNDLE, or the maintenance "
                            "screen's USB import), or kioskctl rollback";
    if (!cur) return problem("bundle", cur.error().message + fix);
    if (keys.empty()) return problem("bundle", "cannot be verified without a trusted key" + fix);
    auto sig = sign::read_signature_file(cur->signature_path);
    if (!sig) return problem("bundle", "its signature: " + sig.error().message + fix);
    auto verified = sign::verify_file(cur->path, *sig, keys);
    if (!verified)
        return problem("bundle", "version " + std::to_string(cur->meta.version) +
                                     " does not verify (" + verified.error().message + ")" + fix);
    if (Status st = store::verify_bundle(cur->path); !st)
        return problem("bundle", "version " + std::to_string(cur->meta.version) + " is damaged (" +
                                     st.error().message + ")" + fix);
    return ok("bundle", "version " + std::to_string(cur->meta.version) + " (" + cur->meta.title +
                            ") verifies with key " + verified->key_id_hex());
}

}  // namespace

int cmd_selftest(const config::Config& cfg, bool json) {
    std::vector<Check> checks;
    checks.push_back(check_font("font_regular", cfg.font_regular));
    checks.push_back(check_font("font_bold", cfg.font_bold));
    checks.push_back(check_dictionary(cfg.pinyin_dictionary));
    checks.push_back(check_model(cfg.handwriting_model));
    checks.push_back(check_renderer(cfg));
    checks.push_back(check_touch());
    checks.push_back(check_state_dir(cfg));
    checks.push_back(check_clock());
    std::vector<sign::PublicKey> keys;
    checks.push_back(check_keys(cfg, keys));
    checks.push_back(check_bundle(cfg, keys));
    bool all_ok = true;
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& c : checks) {
        all_ok = all_ok && c.ok;
        if (json)
            j.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
        else
            std::printf("%s %s: %s\n", c.ok ? "ok" : "problem", c.name.c_str(), c.detail.c_str());
    }
    if (json) std::printf("%s\n", j.dump(2).c_str());
    return all_ok ? 0 : 1;
}

int cmd_pin_hash() {
    std::string pin;
    std::getline(std::cin, pin);
    while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' '))
        pin.pop_back();
    auto hash = config::hash_pin(pin);
    if (!hash) {
        std::fprintf(stderr, "kioskctl: pin-hash: %s (the PIN is read from standard input)\n",
                     hash.error().message.c_str());
        return 2;
    }
    std::printf("%s\n", hash->c_str());
    return 0;
}

}  // namespace kiosk::tools
