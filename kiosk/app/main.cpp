// kiosk: the fullscreen touch program. `kiosk --config F [--window WxH] [--replay SCRIPT
// --screenshot-dir DIR --state-dump FILE]`.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kiosk_app.hpp"

namespace {

int usage() {
    std::fprintf(stderr, "usage: kiosk --config FILE [--window WxH] [--replay SCRIPT] "
                         "[--screenshot-dir DIR] [--state-dump FILE]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    kiosk::app::Options opt;
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
    auto cfg = kiosk::config::load_config(opt.config_file);
    if (!cfg) {
        std::fprintf(stderr, "kiosk: %s\n", cfg.error().message.c_str());
        return 2;
    }
    kiosk::app::KioskApp app(std::move(*cfg), std::move(opt));
    if (auto st = app.init(); !st) {
        std::fprintf(stderr, "kiosk: %s\n", st.error().message.c_str());
        return 3;
    }
    return app.run();
}
