// The kiosk's loop. It blocks in SDL_WaitEventTimeout and draws only after input, while
// something animates, or when a timer (idle countdown, notice loop) is due: idle CPU stays ~0.
#include "kiosk_app.hpp"

#include <imgui.h>
#include <malloc.h>
#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "screenshot.hpp"
#include "ui/frame.hpp"
#include "ui/probe.hpp"
#include "ui/text.hpp"
#include "ui/widgets.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"
#include "video_driver.hpp"
#include "watchdog.hpp"

namespace kiosk::app {

namespace {

void log_line(const std::string& s) {
    std::fprintf(stderr, "kiosk: %s\n", s.c_str());
}

// KIOSK_TRACE=1 prints timing lines for the benchmarks ("trace: first-frame-ms 212").
bool tracing() {
    static const bool on = std::getenv("KIOSK_TRACE") != nullptr;
    return on;
}

double ms_since_start() {
    static const Uint64 start = SDL_GetPerformanceCounter();
    return static_cast<double>(SDL_GetPerformanceCounter() - start) * 1000.0 /
           static_cast<double>(SDL_GetPerformanceFrequency());
}

void trace_mark(const char* what) {
    if (tracing()) std::fprintf(stderr, "trace: %s-ms %.1f\n", what, ms_since_start());
}

}  // namespace

KioskApp::KioskApp(config::Config cfg, Options opt)
    : cfg_(std::move(cfg)), opt_(std::move(opt)), desk_(cfg_), maint_(cfg_) {
    state_.idle_timeout_s = cfg_.idle_timeout_s;
    preparer_.set_fonts(ui::FontFiles{cfg_.font_regular, cfg_.font_bold, 2});
}

KioskApp::~KioskApp() {
    sync_.reset();  // stops the worker (cancelling a request in flight) while SDL is still up
    auto print_raster = [this](const char* what, std::vector<double>& ms) {
        if (ms.empty()) return;
        std::sort(ms.begin(), ms.end());
        std::fprintf(stderr, "trace: %s frames %zu p50 %.2f p90 %.2f p99 %.2f max %.2f (%s)\n",
                     what, ms.size(), ms[ms.size() / 2], ms[ms.size() * 9 / 10],
                     ms[ms.size() * 99 / 100], ms.back(), renderer_->name());
    };
    if (tracing()) {
        print_raster("raster-ms", raster_ms_);
        // The frames drawn while a page was scrolled (its offset moved since the last frame).
        print_raster("raster-ms-scrolling", raster_scroll_ms_);
    }
    if (tracing() && glyphs_) {
        const ui::GlyphStats g = glyphs_->stats();
        std::fprintf(stderr,
                     "trace: glyph-cache %dx%d resident %d rasterised %ld evicted-pages %ld "
                     "overflows %ld\n",
                     g.width, g.height, g.resident, g.rasterised, g.evicted_pages, g.overflows);
    }
    preparer_.take(true);  // a build still running uses nothing of ours, but let it finish
    if (renderer_) drop_images();
    renderer_.reset();  // (needs the ImGui context)
    if (ImGui::GetCurrentContext()) {
        ImGui::GetIO().Fonts = context_atlas_;  // the context frees its own atlas, not ours
        ImGui::DestroyContext();
    }
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

Status KioskApp::init() {
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    ms_since_start();
    const config::Renderer kind = resolve_renderer(cfg_.renderer);
    choose_video_driver(kind);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        return make_error("display", std::string("cannot open the display: ") + SDL_GetError());
    }
    trace_mark("sdl-init");
    int w = opt_.window_w, h = opt_.window_h;
    Uint32 flags = prepare_window(kind) | SDL_WINDOW_ALLOW_HIGHDPI;
    if (w == 0) {
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0)
            w = mode.w, h = mode.h;
        else
            w = 1920, h = 1080;
        // A borderless window the size of the screen now, fullscreen after the first frame:
        // SDL waits up to 100 ms for a window manager to confirm fullscreen, and a kiosk often
        // has none. The first frame need not wait for that.
        flags |= SDL_WINDOW_BORDERLESS;
        fullscreen_after_first_frame_ = true;
    }
    // The content and its font atlas are prepared on a worker thread while the window and the
    // renderer start.
    metrics_ = ui::metrics_for(static_cast<float>(w), static_cast<float>(h), state_.large_text);
    PrepareJob job;
    job.open_content = true;
    job.state_dir = cfg_.state_dir;
    job.metrics = metrics_;
    preparer_.start(std::move(job));

    // At 0,0: a centred window makes SDL wait (up to 100 ms) to see whether it was moved.
    window_ = SDL_CreateWindow("阳光终端", 0, 0, w, h, flags);
    if (!window_)
        return make_error("display", std::string("cannot create the window: ") + SDL_GetError());
    SDL_ShowCursor(SDL_DISABLE);  // a touch screen: the cursor appears only when a mouse moves
    trace_mark("window");
    // Other threads (a receipt look-up, the sync worker) wake the loop with this event.
    wake_event_ = SDL_RegisterEvents(1);
    sync_ = std::make_unique<SyncLink>(cfg_, wake_function());
    desk_.set_receipt_lookup(sync_->receipt_lookup(), wake_function());
    maint_.set_network_status([link = sync_.get()] { return link->describe(); });

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    context_atlas_ = io.Fonts;
    io.IniFilename = nullptr;  // a shared terminal keeps no window settings
    io.LogFilename = nullptr;
    ImGui::GetStyle().AntiAliasedFill = true;
    auto made = kind == config::Renderer::opengl
                    ? make_gl_renderer(window_, opt_.replay_script.empty())
                    : make_software_renderer(window_);
    if (!made) return made.error();
    renderer_ = std::move(*made);
    trace_mark(renderer_->name());
    if (Status st = input_.open(cfg_.pinyin_dictionary); !st)
        log_line("pinyin input unavailable: " + st.error().message);
    trace_mark("pinyin");
    ensure_fonts(!opt_.replay_script.empty());  // waits for the first atlas, not the full one
    trace_mark("content");
    return {};
}

// Takes what the worker prepared: new content (at start, on a bundle switch) and its atlas.
void KioskApp::install(Prepared p) {
    if (!p.job.verify_path.empty()) {
        if (!p.log.empty() && p.job.verify_path == (store_ ? store_->path() : "")) {
            // Damaged on disk since it was installed: open again with the full check, which
            // falls back to the previous bundle.
            log_line(p.log);
            PrepareJob job;
            job.open_content = true;
            job.full_check = true;
            job.state_dir = cfg_.state_dir;
            job.metrics = metrics_;
            preparer_.start(std::move(job));
        }
        return;
    }
    if (p.job.open_content) {
        if (!p.log.empty()) log_line(p.log);
        store_ = std::move(p.store);
        if (sync_) sync_->set_seal_public_key(store_ ? store_->meta().seal_public_key : "");
        verify_pending_ = store_.has_value() && !p.job.full_check;
        current_target_ = p.target;
        lib_ = ui::Library{};
        drop_images();
        ui::apply(state_, ui::ContentAvailable{store_.has_value()});
    }
    if (!p.atlas) {
        log_line(p.atlas_error);
        std::exit(3);
    }
    if (!p.font_problem.empty() && state_.font_problem.empty()) log_line(p.font_problem);
    state_.font_problem = p.latin_only ? p.font_problem : "";
    ui::forget_fonts();  // (a new font may get a freed one's address)
    ui::use_glyph_cache(nullptr);
    glyphs_ = std::move(p.atlas->glyphs);
    atlas_ = std::move(p.atlas->atlas);
    fonts_ = p.atlas->fonts;
    metrics_ = p.job.metrics;
    ui::use_glyph_cache(glyphs_.get());
    ImGui::GetIO().Fonts = atlas_.get();
    sync_font_texture();
    // The build's scratch memory (FreeType, the rasteriser, the worker's malloc arena) is free
    // now but still mapped; hand it back so the kiosk's footprint is what it uses.
    malloc_trim(0);
    if (tracing()) {
        std::fprintf(stderr, "trace: atlas %dx%d glyphs %d build-ms %.1f\n", atlas_->TexWidth,
                     atlas_->TexHeight,
                     fonts_.body->Glyphs.Size + fonts_.title->Glyphs.Size +
                         fonts_.small->Glyphs.Size,
                     p.atlas_ms);
    }
}

// Makes sure the atlas fits the screen, the text size and the characters met. A new one is built
// on the worker while drawing goes on with the current one; only with `wait` (replays), or when
// there is no atlas at all, does this block until it is ready.
void KioskApp::ensure_fonts(bool wait) {
    for (;;) {
        const bool must = wait || !atlas_;
        if (auto done = preparer_.take(must)) {
            install(std::move(*done));
            continue;
        }
        if (preparer_.busy()) return;  // drawing goes on with the current atlas
        if (verify_pending_) {
            verify_pending_ = false;
            PrepareJob job;
            job.verify_path = store_ ? store_->path() : "";
            if (!job.verify_path.empty()) {
                preparer_.start(std::move(job));
                if (!must) return;
            }
            continue;
        }
        int w = 0, h = 0;
        SDL_GL_GetDrawableSize(window_, &w, &h);
        ui::Metrics want =
            ui::metrics_for(static_cast<float>(w), static_cast<float>(h), state_.large_text);
        if (atlas_ && want.body_px == metrics_.body_px && want.width == metrics_.width &&
            want.height == metrics_.height)
            return;
        PrepareJob job;
        job.state_dir = cfg_.state_dir;
        job.metrics = want;
        preparer_.start(std::move(job));
        if (!must) return;
    }
}

// A newer bundle is switched to only on the attract screen (or when there is no content), never
// while someone reads. It is opened, with its atlas, on the worker.
bool KioskApp::maybe_switch_bundle(bool wait) {
    if (state_.here().screen != ui::ScreenId::attract && store_) return false;
    if (preparer_.busy() || installed_target(cfg_.state_dir) == current_target_) return false;
    PrepareJob job;
    job.open_content = true;
    job.state_dir = cfg_.state_dir;
    job.metrics = metrics_;
    preparer_.start(std::move(job));
    if (wait) ensure_fonts(true);
    return true;
}

// Hands the texture what the glyph cache rasterised since the last call.
void KioskApp::sync_font_texture() {
    if (!glyphs_) return;
    bool full = false, reused = false;
    std::vector<ui::AtlasUpload> ups = glyphs_->take_uploads(full, reused);
    if (full) renderer_->upload_font_atlas(*atlas_);
    for (const auto& u : ups)
        renderer_->update_font_atlas(u, reused);
}

// Decodes a bundle image once and keeps it on the GPU until the bundle changes. A missing or
// undecodable image (or one over 4096 px) is remembered as not ok, and shown as its caption.
ui::ImageRef KioskApp::image(const std::string& name) {
    auto it = images_.find(name);
    if (it != images_.end()) return it->second;
    ui::ImageRef ref;
    if (auto asset =
            store_ ? store_->asset(name) : Result<store::AssetData>(make_error("none", ""))) {
        int w = 0, h = 0, n = 0;
        const auto* bytes = reinterpret_cast<const stbi_uc*>(asset->data.data());
        if (stbi_info_from_memory(bytes, static_cast<int>(asset->data.size()), &w, &h, &n) &&
            w > 0 && h > 0 && w <= 4096 && h <= 4096) {
            if (stbi_uc* pixels = stbi_load_from_memory(bytes, static_cast<int>(asset->data.size()),
                                                        &w, &h, &n, 4)) {
                if (ImTextureID tex = renderer_->upload_image(pixels, w, h))
                    ref = ui::ImageRef{true, tex, static_cast<float>(w), static_cast<float>(h)};
                stbi_image_free(pixels);
            }
        }
        if (!ref.ok)
            log_line("image '" + name + "' cannot be decoded; its caption is shown instead");
    }
    images_[name] = ref;
    return ref;
}

void KioskApp::drop_images() {
    for (auto& [name, ref] : images_) {
        if (ref.ok) renderer_->free_image(ref.texture);
    }
    images_.clear();
}

void KioskApp::apply(const ui::Action& a) {
    // The maintenance screen's actions that need the disk are answered by its desk.
    if (auto answer = maint_.answer(state_, a)) {
        ui::apply(state_, a);
        ui::apply(state_, *answer);
        if (state_.here().screen == ui::ScreenId::maintenance && !std::get_if<ui::MaintOpen>(&a))
            ui::apply(state_, ui::MaintInfoShown{maint_.info()});
        return;
    }
    if (std::holds_alternative<ui::RestartKiosk>(a)) {
        log_line("restart asked on the maintenance screen");
        exit_status_ = kRestartStatus;
        return;
    }
    // The forms' actions that need the outbox or the network are answered here, then applied.
    const store::ContentStore* store = store_ ? &*store_ : nullptr;
    if (const auto* open = std::get_if<ui::OpenForm>(&a);
        open && open->screen != ui::ScreenId::lookup) {
        if (std::string why = desk_.closed_reason(store); !why.empty())
            return ui::apply(state_, ui::FormsClosed{why});
    } else if (const auto* submit = std::get_if<ui::Submit>(&a)) {
        ui::Action answer = desk_.submit(state_, store, submit->kind);
        if (sync_ && std::holds_alternative<ui::Submitted>(answer)) sync_->submitted();
        return ui::apply(state_, answer);
    } else if (std::holds_alternative<ui::LookUp>(a)) {
        return ui::apply(state_, desk_.look_up(ui::field_text(state_, ui::Field::lookup_code)));
    } else if (const auto* key = std::get_if<ui::Key>(&a);
               key && key->key == "mode:handwriting" && !handwriting_tried_) {
        handwriting_tried_ = true;
        if (Status st = input_.open_handwriting(cfg_.handwriting_model); !st)
            log_line("handwriting input unavailable: " + st.error().message);
    }
    // Keyboard actions go to the input method first; what it fixes comes back as Commit actions.
    const ui::Field field_before = state_.keyboard.field;
    const uint64_t generation_before = state_.generation;
    ui::Actions fixed;
    if (!input_.handle(state_, a, fixed)) ui::apply(state_, a);
    for (const auto& f : fixed)
        ui::apply(state_, f);
    // A spelling, a half-written character or follow-up words belong to the field they were
    // made in: another field or another step starts clean.
    if (state_.keyboard.field != field_before || state_.generation != generation_before)
        input_.reset();
    if (state_.here().screen == ui::ScreenId::maintenance_pin &&
        generation_before != state_.generation && std::holds_alternative<ui::MaintCornerTap>(a))
        log_line("the maintenance PIN pad was opened by the hidden gesture");
    if (state_.here().screen == ui::ScreenId::attract && state_.generation != wiped_generation_) {
        // A new person: nothing of what the last one typed or scrolled survives.
        wiped_generation_ = state_.generation;
        ui::reset_scroll_areas();
        input_.reset();
    }
}

bool KioskApp::pointer_event(const SDL_Event& e) {
    switch (e.type) {
    case SDL_MOUSEMOTION:
        mouse_x_ = static_cast<float>(e.motion.x), mouse_y_ = static_cast<float>(e.motion.y);
        if (e.motion.which != SDL_TOUCH_MOUSEID) SDL_ShowCursor(SDL_ENABLE);
        return true;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (e.button.button != SDL_BUTTON_LEFT) return false;
        mouse_x_ = static_cast<float>(e.button.x), mouse_y_ = static_cast<float>(e.button.y);
        mouse_down_ = e.type == SDL_MOUSEBUTTONDOWN;
        apply(ui::Touched{});
        return true;
    case SDL_MOUSEWHEEL:
        wheel_ += static_cast<float>(e.wheel.y);
        apply(ui::Touched{});
        return true;
    default:
        return false;
    }
}

void KioskApp::frame(double dt, bool rasterize) {
    clock_s_ += dt;
    if (auto answer = desk_.poll_lookup(!opt_.replay_script.empty(),
                                        ui::field_text(state_, ui::Field::lookup_code));
        answer && state_.here().screen == ui::ScreenId::lookup)
        apply(*answer);
    if (sync_) {  // the worker wakes the loop when its view of the hub changes
        if (ui::NetStatus net = sync_->net(); !(net == state_.net)) apply(ui::NetworkChanged{net});
    }
    maybe_switch_bundle(!opt_.replay_script.empty());
    ensure_fonts(!opt_.replay_script.empty());
    ui::refresh(lib_, store_ ? &*store_ : nullptr, state_, util::wall_now());
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(metrics_.width, metrics_.height);
    io.DeltaTime = static_cast<float>(std::max(dt, 1e-4));
    io.MousePos = ImVec2(mouse_x_, mouse_y_);
    io.MouseDown[0] = mouse_down_;
    io.MouseWheel = wheel_;
    wheel_ = 0;
    if (glyphs_) glyphs_->begin_frame();
    sync_font_texture();  // (a texture that grew is uploaded before any draw refers to it)
    renderer_->new_frame();
    ImGui::NewFrame();
    ui::Actions actions;
    const ui::ImeView& ime = input_.view();
    ui::draw_frame(ui::View{state_, lib_, fonts_, metrics_, clock_s_, ime,
                            [this](const std::string& name) { return image(name); }},
                   actions);
    ImGui::Render();
    sync_font_texture();  // the glyphs this frame met for the first time
    if (!rasterize) {
        for (const auto& a : actions)
            apply(a);
        return;
    }
    const ui::ScrollLayer& layer = ui::probe().scroll_layer;
    renderer_->hint_scroll_layer(layer.clip, layer.offset, layer.valid);
    const double r0 = tracing() ? ms_since_start() : 0;
    renderer_->draw(ImGui::GetDrawData(), static_cast<int>(metrics_.width),
                    static_cast<int>(metrics_.height));
    if (tracing()) {
        renderer_->finish();
        raster_ms_.push_back(ms_since_start() - r0);
        if (layer.valid && last_scroll_offset_ >= 0 && layer.offset != last_scroll_offset_)
            raster_scroll_ms_.push_back(raster_ms_.back());
        last_scroll_offset_ = layer.valid ? layer.offset : -1;
    }
    for (const auto& a : actions)
        apply(a);
}

std::function<void()> KioskApp::wake_function() const {
    return [type = wake_event_] {
        SDL_Event e{};
        e.type = type;
        SDL_PushEvent(&e);  // thread-safe
    };
}

int KioskApp::run() {
    return opt_.replay_script.empty() ? run_interactive() : run_replay();
}

int KioskApp::run_interactive() {
    Uint64 last = SDL_GetPerformanceCounter();
    int frames_owed = 3;
    Watchdog watchdog;  // systemd's: the sleep below is capped so that it is fed in time
    for (;;) {
        // How long we may sleep: until the idle countdown is due, the attract loop turns, or
        // never (one minute) when nothing is scheduled.
        int timeout_ms = 60000;
        if (frames_owed > 0 || ui::probe().animating)
            timeout_ms = 0;
        else if (preparer_.busy())
            timeout_ms = 15;  // the worker's atlas or bundle goes in as soon as it is ready
        else if (state_.here().screen == ui::ScreenId::attract)
            timeout_ms = 6000 - static_cast<int>(std::fmod(clock_s_, 6.0) * 1000);
        else if (state_.counting_down())
            timeout_ms = 1000;
        else if (state_.here().screen == ui::ScreenId::search &&
                 lib_.search_edits != state_.search.edits)
            timeout_ms = 100;  // results are due after a pause in typing
        else
            timeout_ms =
                std::max(0, static_cast<int>((state_.idle_timeout_s - state_.idle_s) * 1000));
        SDL_Event e;
        bool got = SDL_WaitEventTimeout(&e, watchdog.cap_timeout_ms(timeout_ms)) != 0;
        while (got) {
            if (e.type == SDL_QUIT) return 0;
            if (pointer_event(e) || e.type == SDL_WINDOWEVENT || e.type == wake_event_)
                frames_owed = 3;
            got = SDL_PollEvent(&e) != 0;
        }
        Uint64 now = SDL_GetPerformanceCounter();
        double dt =
            static_cast<double>(now - last) / static_cast<double>(SDL_GetPerformanceFrequency());
        last = now;
        bool was_attract = state_.here().screen == ui::ScreenId::attract;
        apply(ui::Elapsed{dt});
        if (was_attract != (state_.here().screen == ui::ScreenId::attract)) frames_owed = 3;
        const bool was_busy = preparer_.busy();
        frame(dt);
        if (was_busy && !preparer_.busy()) frames_owed = 3;
        if (exit_status_ >= 0) return exit_status_;
        renderer_->present();
        if (frames_owed > 0) --frames_owed;
        static bool first = true;
        if (first && tracing()) {
            std::fprintf(stderr, "trace: first-frame-ms %.1f\n", ms_since_start());
        }
        first = false;
        watchdog.ready();
        watchdog.alive();
        if (fullscreen_after_first_frame_) {
            fullscreen_after_first_frame_ = false;
            SDL_SetWindowFullscreen(window_, SDL_WINDOW_FULLSCREEN_DESKTOP);
            frames_owed = 3;
        }
    }
}

}  // namespace kiosk::app
