// The kiosk program: window, content, fonts and the loop that turns events into frames.
#pragma once

#include <SDL.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "maintenance_desk.hpp"
#include "preparer.hpp"
#include "renderer.hpp"
#include "replay.hpp"
#include "store/content_store.hpp"
#include "submission_desk.hpp"
#include "sync_link.hpp"
#include "ui/app_state.hpp"
#include "ui/fonts.hpp"
#include "ui/frame.hpp"
#include "ui/input_controller.hpp"
#include "ui/library.hpp"
#include "ui/theme.hpp"

namespace kiosk::app {

struct Options {
    std::string config_file;
    int window_w = 0, window_h = 0;  // 0: fullscreen at the display's size
    std::string replay_script;
    std::string screenshot_dir;
    std::string state_dump;
};

class KioskApp {
public:
    KioskApp(config::Config cfg, Options opt);
    ~KioskApp();
    KioskApp(const KioskApp&) = delete;
    KioskApp& operator=(const KioskApp&) = delete;

    Status init();
    // Runs until the window closes (interactive) or the script ends; returns the exit code.
    int run();
    // The status the maintenance screen's restart exits with; the systemd unit starts the kiosk
    // again (Restart=always; RestartForceExitStatus=75 would also cover Restart=on-failure).
    static constexpr int kRestartStatus = 75;

private:
    int run_interactive();
    int run_replay();
    // Draws one frame with `dt` seconds since the last; applies what the person did.
    void frame(double dt, bool rasterize = true);
    void apply(const ui::Action& a);
    void install(Prepared p);
    void ensure_fonts(bool wait);
    bool maybe_switch_bundle(bool wait);
    void sync_font_texture();
    ui::ImageRef image(const std::string& asset_name);
    void drop_images();
    bool pointer_event(const SDL_Event& e);
    std::function<void()> wake_function() const;
    void write_state_dump(const std::string& failure);
    int replay_command(const Command& c);

    config::Config cfg_;
    Options opt_;
    SDL_Window* window_ = nullptr;
    std::unique_ptr<Renderer> renderer_;
    std::optional<store::ContentStore> store_;
    std::string current_target_;   // which installed bundle is open, to notice a newer one
    bool verify_pending_ = false;  // the open bundle still needs its quick_check
    ui::AppState state_;
    ui::Library lib_;
    ui::InputController input_;
    bool handwriting_tried_ = false;  // the 27 MB model is opened when 手写 is first chosen
    SubmissionDesk desk_;
    std::unique_ptr<SyncLink> sync_;  // the worker that talks to the county hub
    MaintenanceDesk maint_;
    int exit_status_ = -1;  // >= 0: leave the loop with it (restart from the maintenance screen)
    ui::Fonts fonts_;
    ui::Metrics metrics_;
    std::map<std::string, ui::ImageRef> images_;  // uploaded bundle images, by asset name
    Preparer preparer_;                           // content and atlases made on a worker thread
    std::unique_ptr<ImFontAtlas> atlas_;          // io.Fonts points here
    std::unique_ptr<ui::GlyphCache> glyphs_;      // fills atlas_ as text needs glyphs
    ImFontAtlas* context_atlas_ = nullptr;        // the one the ImGui context owns (kept empty)
    std::vector<double> raster_ms_;         // with KIOSK_TRACE: how long each frame took to draw
    std::vector<double> raster_scroll_ms_;  // ... those that scrolled a page
    float last_scroll_offset_ = -1;
    double clock_s_ = 0;                 // seconds since start (simulated in replay)
    uint64_t wiped_generation_ = ~0ull;  // the attract screen we last wiped input for
    // Pointer state fed to ImGui before each frame.
    float mouse_x_ = -1, mouse_y_ = -1;
    bool mouse_down_ = false;
    bool fullscreen_after_first_frame_ = false;
    float wheel_ = 0;
    Uint32 wake_event_ = 0;  // pushed by other threads to wake the loop
};

}  // namespace kiosk::app
