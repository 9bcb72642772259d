// The kiosk's loop. It blocks in SDL_WaitEventTimeout and draws only after input, while
// something animates, or when a timer (idle countdown, notice loop) is due: idle CPU stays ~0.
#include "kiosk_app.hpp"

#include <GL/gl.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8
#include <malloc.h>
#include <stb_image.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "screenshot.hpp"
#include "ui/frame.hpp"
#include "ui/probe.hpp"
#include "ui/widgets.hpp"
#include "util/file_io.hpp"

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

KioskApp::KioskApp(config::Config cfg, Options opt) : cfg_(std::move(cfg)), opt_(std::move(opt)) {
    state_.idle_timeout_s = cfg_.idle_timeout_s;
}

KioskApp::~KioskApp() {
    preparer_.take(true);  // a build still running uses nothing of ours, but let it finish
    if (gl_) drop_images(), drop_font_texture();
    if (ImGui::GetCurrentContext()) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::GetIO().Fonts = context_atlas_;  // the context frees its own atlas, not ours
        ImGui::DestroyContext();
    }
    if (gl_) SDL_GL_DeleteContext(gl_);
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

Status KioskApp::init() {
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    ms_since_start();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        return make_error("display", std::string("cannot open the display: ") + SDL_GetError());
    }
    trace_mark("sdl-init");
    int w = opt_.window_w, h = opt_.window_h;
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
    if (w == 0) {
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0)
            w = mode.w, h = mode.h;
        else
            w = 1920, h = 1080;
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    }
    // The content and its font atlas are prepared on a worker thread while the window and the
    // renderer start: the two take about the same time, so together they take half.
    metrics_ = ui::metrics_for(static_cast<float>(w), static_cast<float>(h), state_.large_text);
    PrepareJob job;
    job.open_content = true;
    job.state_dir = cfg_.state_dir;
    job.metrics = metrics_;
    preparer_.start(std::move(job));

    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    window_ =
        SDL_CreateWindow("阳光终端", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!window_)
        return make_error("display", std::string("cannot create the window: ") + SDL_GetError());
    gl_ = SDL_GL_CreateContext(window_);
    if (!gl_) return make_error("display", std::string("no OpenGL 3.0 context: ") + SDL_GetError());
    SDL_GL_MakeCurrent(window_, gl_);
    trace_mark("gl-context");
    SDL_GL_SetSwapInterval(opt_.replay_script.empty() ? 1 : 0);
    SDL_ShowCursor(SDL_DISABLE);  // a touch screen: the cursor appears only when a mouse moves

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    context_atlas_ = io.Fonts;
    io.IniFilename = nullptr;  // a shared terminal keeps no window settings
    io.LogFilename = nullptr;
    ImGui::GetStyle().AntiAliasedFill = true;
    if (!ImGui_ImplOpenGL3_Init("#version 130"))
        return make_error("display", "OpenGL renderer failed to start");
    // Create the renderer's objects now: left to the first NewFrame(), it would re-upload the
    // font texture from an atlas whose input we have freed, and ImGui would quietly rebuild it
    // with its default font (garbled text).
    // It also makes a font texture from the context's own atlas (ImGui's small default font),
    // which we drop at once: our atlases come from the worker and are uploaded as Alpha8.
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    context_atlas_->Clear();
    trace_mark("renderer");
    if (Status st = input_.open(); !st) log_line("pinyin input unavailable: " + st.error().message);
    trace_mark("pinyin");
    ensure_fonts(true);
    trace_mark("content");
    return {};
}

// Takes what the worker prepared: new content (at start, on a bundle switch) and its atlas.
void KioskApp::install(Prepared p) {
    if (p.job.open_content) {
        if (!p.log.empty()) log_line(p.log);
        store_ = std::move(p.store);
        current_target_ = p.target;
        glyph_text_ = p.job.glyph_text;
        title_glyph_text_ = p.job.title_glyph_text;
        extra_glyphs_.clear();
        lib_ = ui::Library{};
        drop_images();
        ui::apply(state_, ui::ContentAvailable{store_.has_value()});
    }
    if (!p.atlas) {
        log_line(p.atlas_error);
        std::exit(3);
    }
    drop_font_texture();
    atlas_ = std::move(p.atlas->atlas);
    fonts_ = p.atlas->fonts;
    metrics_ = p.job.metrics;
    atlas_extra_ = p.job.extra_glyphs.size();
    ImGui::GetIO().Fonts = atlas_.get();
    upload_font_texture();
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

// The atlas as one channel of coverage: a quarter of the RGBA32 texture ImGui's renderer makes.
// The swizzle reads it as white with that alpha, which is what ImGui's shader expects.
void KioskApp::upload_font_texture() {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas_->GetTexDataAsAlpha8(&pixels, &w, &h);
    glGenTextures(1, &font_texture_);
    glBindTexture(GL_TEXTURE_2D, font_texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    atlas_->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(font_texture_)));
    atlas_->ClearTexData();  // the GPU has it; free the CPU copy
}

void KioskApp::drop_font_texture() {
    if (font_texture_) glDeleteTextures(1, &font_texture_);
    font_texture_ = 0;
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
        int w = 0, h = 0;
        SDL_GL_GetDrawableSize(window_, &w, &h);
        ui::Metrics want =
            ui::metrics_for(static_cast<float>(w), static_cast<float>(h), state_.large_text);
        if (atlas_ && want.body_px == metrics_.body_px && want.width == metrics_.width &&
            want.height == metrics_.height && atlas_extra_ == extra_glyphs_.size())
            return;
        PrepareJob job;
        job.state_dir = cfg_.state_dir;
        job.glyph_text = glyph_text_;
        job.title_glyph_text = title_glyph_text_;
        job.extra_glyphs = extra_glyphs_;
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

// Adds characters the atlas lacks (a rare candidate, say). The larger atlas is built on the worker
// (about 0.1 s) while the keyboard keeps working; the new characters appear when it is in.
void KioskApp::grow_atlas_for(const std::vector<std::string>& texts) {
    if (!fonts_.body) return;
    for (const auto& t : texts) {
        const char* p = t.c_str();
        const char* end = p + t.size();
        while (p < end) {
            unsigned int c = 0;
            int n = ImTextCharFromUtf8(&c, p, end);
            if (n <= 0) break;
            const std::string_view ch(p, static_cast<size_t>(n));
            if (c < 0x10000 && !fonts_.body->FindGlyphNoFallback(static_cast<ImWchar>(c)) &&
                extra_glyphs_.find(ch) == std::string::npos) {
                extra_glyphs_.append(ch);  // ensure_fonts() builds the larger atlas
            }
            p += n;
        }
    }
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
                GLuint tex = 0;
                glGenTextures(1, &tex);
                glBindTexture(GL_TEXTURE_2D, tex);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
                glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
                glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
                glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
                stbi_image_free(pixels);
                ref = ui::ImageRef{true, reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex)),
                                   static_cast<float>(w), static_cast<float>(h)};
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
        if (!ref.ok) continue;
        GLuint tex = static_cast<GLuint>(reinterpret_cast<intptr_t>(ref.texture));
        glDeleteTextures(1, &tex);
    }
    images_.clear();
}

void KioskApp::apply(const ui::Action& a) {
    // Keyboard actions go to the input method first; what it fixes comes back as Commit actions.
    ui::Actions fixed;
    if (!input_.handle(state_, a, fixed)) ui::apply(state_, a);
    for (const auto& f : fixed)
        ui::apply(state_, f);
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
    ensure_fonts(!opt_.replay_script.empty());
    ui::refresh(lib_, store_ ? &*store_ : nullptr, state_,
                static_cast<int64_t>(std::time(nullptr)));
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(metrics_.width, metrics_.height);
    io.DeltaTime = static_cast<float>(std::max(dt, 1e-4));
    io.MousePos = ImVec2(mouse_x_, mouse_y_);
    io.MouseDown[0] = mouse_down_;
    io.MouseWheel = wheel_;
    wheel_ = 0;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ui::Actions actions;
    ui::draw_frame(ui::View{state_, lib_, fonts_, metrics_, clock_s_, input_.view(),
                            [this](const std::string& name) { return image(name); }},
                   actions);
    ImGui::Render();
    if (!rasterize) {
        for (const auto& a : actions)
            apply(a);
        return;
    }
    glViewport(0, 0, static_cast<int>(metrics_.width), static_cast<int>(metrics_.height));
    glClearColor(247 / 255.f, 245 / 255.f, 240 / 255.f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    for (const auto& a : actions)
        apply(a);
    grow_atlas_for(input_.view().candidates);
}

int KioskApp::run() {
    return opt_.replay_script.empty() ? run_interactive() : run_replay();
}

int KioskApp::run_interactive() {
    Uint64 last = SDL_GetPerformanceCounter();
    int frames_owed = 3;
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
        bool got = SDL_WaitEventTimeout(&e, timeout_ms) != 0;
        while (got) {
            if (e.type == SDL_QUIT) return 0;
            if (pointer_event(e) || e.type == SDL_WINDOWEVENT) frames_owed = 3;
            got = SDL_PollEvent(&e) != 0;
        }
        Uint64 now = SDL_GetPerformanceCounter();
        double dt =
            static_cast<double>(now - last) / static_cast<double>(SDL_GetPerformanceFrequency());
        last = now;
        bool was_attract = state_.here().screen == ui::ScreenId::attract;
        apply(ui::Elapsed{dt});
        if (was_attract != (state_.here().screen == ui::ScreenId::attract)) frames_owed = 3;
        if (maybe_switch_bundle(false)) frames_owed = 3;
        const bool was_busy = preparer_.busy();
        frame(dt);
        if (was_busy && !preparer_.busy()) frames_owed = 3;
        SDL_GL_SwapWindow(window_);
        if (frames_owed > 0) --frames_owed;
        static bool first = true;
        if (first && tracing()) {
            glFinish();
            std::fprintf(stderr, "trace: first-frame-ms %.1f\n", ms_since_start());
        }
        first = false;
    }
}

}  // namespace kiosk::app
