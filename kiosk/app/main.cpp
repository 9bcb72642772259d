// kiosk: the fullscreen touch program. `kiosk --config F [--window WxH] [--replay SCRIPT
// --screenshot-dir DIR --state-dump FILE]`, `kiosk --help`, `kiosk --version`.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "kiosk_app.hpp"
#include "renderer_probe.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace {

// The time of day: KIOSK_NOW pins it; a replay script's "# now: 2026-11-27T10:00:00Z" line pins it
// for that script (dated checks such as the "新" badge then pass on any day). Logged when pinned.
bool pin_clock(const std::string& replay_script) {
    auto from_env = kiosk::util::pin_wall_clock_from_environment();
    if (!from_env) {
        std::fprintf(stderr, "kiosk: %s\n", from_env.error().message.c_str());
        return false;
    }
    if (!from_env->empty()) std::fprintf(stderr, "kiosk: %s\n", from_env->c_str());
    if (replay_script.empty()) return true;
    auto text = kiosk::util::read_file(replay_script, 1 << 20);
    if (!text) return true;  // the replay reports it
    size_t at = text->find("\n# now: ");
    if (text->rfind("# now: ", 0) == 0) at = 0;
    if (at == std::string::npos) return true;
    at = text->find("# now: ", at) + 7;
    std::string value = text->substr(at, text->find('\n', at) - at);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r'))
        value.pop_back();
    auto t = kiosk::util::parse_pinned_time(value);
    if (!t) {
        std::fprintf(stderr, "kiosk: %s: # now: %s\n", replay_script.c_str(),
                     t.error().message.c_str());
        return false;
    }
    kiosk::util::pin_wall_clock(*t);
    std::fprintf(stderr, "kiosk: the clock is pinned to %s by %s\n",
                 kiosk::util::format_utc_time(*t).c_str(), replay_script.c_str());
    return true;
}

const char* const kUsage = "usage: kiosk --config FILE [--window WxH] [--replay SCRIPT] "
                           "[--screenshot-dir DIR] [--state-dump FILE]\n";

int usage() {
    std::fputs(kUsage, stderr);
    return 2;
}

// `--help` anywhere (usage on stdout) or `--version` first: the exit status (0), or -1.
int help_or_version(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
            std::printf("%s       kiosk --help | --version\n\nThe manual: man kiosk\n", kUsage);
            return 0;
        }
    }
    if (argc >= 2 && std::string(argv[1]) == "--version") {
        std::printf("kiosk (Sunshine Kiosk) %s\n", KIOSK_VERSION);
        return 0;
    }
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    if (int rc = help_or_version(argc, argv); rc >= 0) return rc;
    kiosk::app::Options opt;
    bool probe_renderer = false;  // kioskctl selftest: does the renderer start here?
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = nullptr;
        if (a == "--config" && (v = value()))
            opt.config_file = v;
        else if (a == "--replay" && (v = value()))
            opt.replay_script = v;
        else if (a == "--screenshot-dir" && (v = value()))
            opt.screenshot_dir = v;
        else if (a == "--probe-renderer")
            probe_renderer = true;
        else if (a == "--state-dump" && (v = value()))
            opt.state_dump = v;
        else if (a == "--window" && (v = value())) {
            if (std::sscanf(v, "%dx%d", &opt.window_w, &opt.window_h) != 2 || opt.window_w < 320 ||
                opt.window_h < 320) {
                std::fprintf(stderr, "kiosk: --window wants WxH, e.g. 1920x1080\n");
                return 2;
            }
        } else
            return usage();
    }
    if (opt.config_file.empty()) return usage();
    if (!pin_clock(opt.replay_script)) return 2;
    if (!opt.screenshot_dir.empty()) {
        // An output folder is made, as any tool makes its output folder.
        std::error_code ec;
        std::filesystem::create_directories(opt.screenshot_dir, ec);
        if (ec) {
            std::fprintf(stderr, "kiosk: cannot create the screenshot folder %s: %s\n",
                         opt.screenshot_dir.c_str(), ec.message().c_str());
            return 2;
        }
    }
    auto cfg = kiosk::config::load_config(opt.config_file);
    if (!cfg) {
        std::fprintf(stderr, "kiosk: %s\n", cfg.error().message.c_str());
        return 2;
    }
    if (probe_renderer) return kiosk::app::probe_renderer(*cfg);
    kiosk::app::KioskApp app(std::move(*cfg), std::move(opt));
    if (auto st = app.init(); !st) {
        std::fprintf(stderr, "kiosk: %s\n", st.error().message.c_str());
        return 3;
    }
    return app.run();
}
