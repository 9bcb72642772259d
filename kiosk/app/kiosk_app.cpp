// The kiosk's loop. It blocks in SDL_WaitEventTimeout and draws only after input, while
// something animates, or when a timer (idle countdown, notice loop) is due: idle CPU stays ~0.
#include "kiosk_app.hpp"

#include <GL/gl.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8
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

std::string installed_target(const std::string& state_dir) {
    std::error_code ec;
    return std::filesystem::read_symlink(std::filesystem::path(state_dir) / "bundles/current", ec)
        .string();
}

}  // namespace

KioskApp::KioskApp(config::Config cfg, Options opt) : cfg_(std::move(cfg)), opt_(std::move(opt)) {
    state_.idle_timeout_s = cfg_.idle_timeout_s;
}

KioskApp::~KioskApp() {
    if (gl_) drop_images();
    if (ImGui::GetCurrentContext()) {
        ImGui_ImplOpenGL3_Shutdown();
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
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = opt_.window_w, h = opt_.window_h;
    if (w == 0) {
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0)
            w = mode.w, h = mode.h;
        else
            w = 1920, h = 1080;
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    }
    window_ =
        SDL_CreateWindow("阳光终端", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!window_)
        return make_error("display", std::string("cannot create the window: ") + SDL_GetError());
    gl_ = SDL_GL_CreateContext(window_);
    if (!gl_) return make_error("display", std::string("no OpenGL 3.0 context: ") + SDL_GetError());
    SDL_GL_MakeCurrent(window_, gl_);
    SDL_GL_SetSwapInterval(opt_.replay_script.empty() ? 1 : 0);
    SDL_ShowCursor(SDL_DISABLE);  // a touch screen: the cursor appears only when a mouse moves

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a shared terminal keeps no window settings
    io.LogFilename = nullptr;
    ImGui::GetStyle().AntiAliasedFill = true;
    if (!ImGui_ImplOpenGL3_Init("#version 130"))
        return make_error("display", "OpenGL renderer failed to start");
    // Create the renderer's objects now: left to the first NewFrame(), it would re-upload the
    // font texture from an atlas whose input we have freed, and ImGui would quietly rebuild it
    // with its default font (garbled text).
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    if (Status st = input_.open(); !st) log_line("pinyin input unavailable: " + st.error().message);
    open_content();
    return {};
}

void KioskApp::open_content() {
    auto opened = store::open_installed_content(cfg_.state_dir);
    current_target_ = installed_target(cfg_.state_dir);
    if (!opened) {
        log_line("no content: " + opened.error().message);
        store_.reset();
        glyph_text_.clear();
    } else {
        if (opened->fallback_reason) {
            log_line("the current bundle cannot be opened (" + opened->fallback_reason->message +
                     "); showing the previous one, version " +
                     std::to_string(opened->store.meta().version));
        }
        store_.emplace(std::move(opened->store));
        auto glyphs = store_->glyph_text();
        glyph_text_ = glyphs ? *glyphs : std::string();
        auto titles = store_->title_glyph_text();
        title_glyph_text_ = titles ? *titles : glyph_text_;
    }
    lib_ = ui::Library{};
    drop_images();
    fonts_key_ = -1;
    ui::apply(state_, ui::ContentAvailable{store_.has_value()});
}

void KioskApp::ensure_fonts() {
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(window_, &w, &h);
    metrics_ = ui::metrics_for(static_cast<float>(w), static_cast<float>(h), state_.large_text);
    float key = metrics_.body_px * 1000 + metrics_.width / 10000 +
                static_cast<float>(glyph_text_.size() % 997) / 1e6f;
    if (key == fonts_key_) return;
    const double t0 = ms_since_start();
    auto fonts =
        ui::build_fonts(ImGui::GetIO(), ui::FontFiles{}, glyph_text_ + extra_glyphs_,
                        title_glyph_text_, metrics_.body_px, metrics_.title_px, metrics_.small_px);
    if (!fonts) {
        log_line(fonts.error().message);
        std::exit(3);
    }
    fonts_ = *fonts;
    if (tracing()) {
        const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
        std::fprintf(
            stderr, "trace: atlas %dx%d glyphs %d build-ms %.1f\n", atlas.TexWidth, atlas.TexHeight,
            fonts_.body->Glyphs.Size + fonts_.title->Glyphs.Size + fonts_.small->Glyphs.Size,
            ms_since_start() - t0);
    }
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ImGui::GetIO().Fonts->ClearTexData();  // the GPU has it; free the CPU copy
    fonts_key_ = key;
}

// Adds characters the atlas lacks (a rare candidate, say) and rebuilds it before the next frame.
// The rebuild takes about 0.1 s and happens once per new set of characters.
void KioskApp::grow_atlas_for(const std::vector<std::string>& texts) {
    if (!fonts_.body) return;
    bool grew = false;
    for (const auto& t : texts) {
        const char* p = t.c_str();
        const char* end = p + t.size();
        while (p < end) {
            unsigned int c = 0;
            int n = ImTextCharFromUtf8(&c, p, end);
            if (n <= 0) break;
            if (c < 0x10000 && !fonts_.body->FindGlyphNoFallback(static_cast<ImWchar>(c))) {
                extra_glyphs_.append(p, static_cast<size_t>(n));
                grew = true;
            }
            p += n;
        }
    }
    if (grew) fonts_key_ = -1;
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
    ensure_fonts();
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
        // A newer bundle is switched to only on the attract screen, never while someone reads.
        if (state_.here().screen == ui::ScreenId::attract || !store_) {
            if (installed_target(cfg_.state_dir) != current_target_)
                open_content(), frames_owed = 3;
        }
        frame(dt);
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
