// Benchmark: the UI's CPU cost per frame while a finger scrolls the longest
// sample document.
//
// Usage: bench_ui_frame [--bundle FILE | --content DIR] [--min-frames N]
// [--size WxH] Without --bundle the sample content (DIR, default
// $KIOSK_SRC/content or ./content) is built into a temporary bundle first.
// Headless: an ImGui context and the real font atlas, no window and no
// renderer. Timed per frame: ImGui::NewFrame + ui::draw_frame + ImGui::Render,
// i.e. everything the kiosk's frame() does on the CPU except the OpenGL draw
// (there is no GL here: rasterising the draw lists, under llvmpipe on a kiosk,
// is not in these figures).
#include <imgui.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "content/bundle_builder.hpp"
#include "content/source.hpp"
#include "store/content_store.hpp"
#include "ui/frame.hpp"
#include "ui/probe.hpp"

namespace {

using namespace kiosk;
using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

size_t code_points(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

struct Percentiles {
    double p50, p99, max, mean;
};

Percentiles percentiles(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        size_t i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
        return v[std::min(i, v.size() - 1)];
    };
    double sum = 0;
    for (double x : v)
        sum += x;
    return {at(0.50), at(0.99), v.back(), sum / static_cast<double>(v.size())};
}

std::string g_tmp_dir;  // the sample bundle's folder, removed on every way out

void remove_tmp_dir() {
    std::error_code ec;
    if (!g_tmp_dir.empty()) std::filesystem::remove_all(g_tmp_dir, ec);
}

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "bench_ui_frame: %s\n", what.c_str());
    remove_tmp_dir();
    std::exit(1);
}

// The kiosk's frame, headless: the same inputs KioskApp::frame() gives ImGui.
struct Ui {
    store::ContentStore* store;
    ui::AppState state;
    ui::Library lib;
    ui::Fonts fonts;
    ui::Metrics m;
    ui::ImeView ime;  // the keyboard is not on the document screen
    double clock_s = 0;
    static constexpr double dt = 1.0 / 60;  // a 60 Hz display

    std::vector<double> wall_ms, cpu_ms;  // per timed frame
    int max_vertices = 0, max_indices = 0;

    void frame(ImVec2 mouse, bool down, bool timed) {
        clock_s += dt;
        ui::apply(state, ui::Elapsed{dt});
        ui::refresh(lib, store, state, static_cast<int64_t>(std::time(nullptr)));
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(m.width, m.height);
        io.DeltaTime = static_cast<float>(dt);
        io.MousePos = mouse;
        io.MouseDown[0] = down;
        io.MouseWheel = 0;
        ui::Actions actions;
        const double c0 = thread_cpu_ms();
        const auto t0 = Clock::now();
        if (ui::GlyphCache* g = ui::current_glyph_cache()) g->begin_frame();
        ImGui::NewFrame();
        ui::draw_frame(ui::View{state, lib, fonts, m, clock_s, ime, {}}, actions);
        ImGui::Render();
        const auto t1 = Clock::now();
        const double c1 = thread_cpu_ms();
        if (timed) {
            wall_ms.push_back(ms_between(t0, t1));
            cpu_ms.push_back(c1 - c0);
            const ImDrawData* dd = ImGui::GetDrawData();
            max_vertices = std::max(max_vertices, dd->TotalVtxCount);
            max_indices = std::max(max_indices, dd->TotalIdxCount);
        }
        for (const auto& a : actions)
            ui::apply(state, a);
    }
};

}  // namespace

int main(int argc, char** argv) {
    std::string bundle, content_dir, size = "1920x1080";
    size_t min_frames = 300;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--bundle") == 0) bundle = argv[i + 1];
        if (std::strcmp(argv[i], "--content") == 0) content_dir = argv[i + 1];
        if (std::strcmp(argv[i], "--min-frames") == 0)
            min_frames = std::max<size_t>(1, std::strtoull(argv[i + 1], nullptr, 10));
        if (std::strcmp(argv[i], "--size") == 0) size = argv[i + 1];
    }
    int width = 0, height = 0;
    if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 320 || height < 320)
        fail("--size wants WxH, e.g. 1920x1080");

    // The bundle: given, or the sample content built into a temporary folder.
    if (bundle.empty()) {
        if (content_dir.empty()) {
            const char* src = std::getenv("KIOSK_SRC");
            content_dir = src ? std::string(src) + "/content" : "content";
        }
        std::string tmpl = "/tmp/bench-ui-frame-XXXXXX";
        if (!::mkdtemp(tmpl.data())) fail("cannot make a temporary folder");
        g_tmp_dir = tmpl;
        auto loaded = content::load_source(content_dir);
        if (!loaded.errors.empty()) fail(content_dir + ": " + loaded.errors.front().to_string());
        content::BuildOptions opt;
        opt.version = 1;
        opt.out_path = g_tmp_dir + "/sample.kbundle";
        auto built = content::build_bundle(loaded.source, opt);
        if (!built) fail("build: " + built.error().message);
        bundle = opt.out_path;
    }
    std::atexit(remove_tmp_dir);
    auto opened = store::ContentStore::open(bundle);
    if (!opened) fail(bundle + ": " + opened.error().message);
    store::ContentStore store = std::move(*opened);

    // The longest document, by the length of its body in characters.
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    auto cats = store.categories();
    if (!cats) fail(cats.error().message);
    std::string longest, longest_title;
    size_t longest_len = 0, documents = 0;
    for (const auto& c : *cats) {
        auto docs = store.documents_in(c.id, now);
        if (!docs) fail(docs.error().message);
        for (const auto& d : *docs) {
            auto view = store.document(d.id);
            if (!view) fail(view.error().message);
            ++documents;
            size_t len = code_points(view->body);
            if (len > longest_len) longest_len = len, longest = d.id, longest_title = d.title;
        }
    }
    if (longest.empty()) fail("the bundle has no documents");

    Ui u;
    u.store = &store;
    u.m = ui::metrics_for(static_cast<float>(width), static_cast<float>(height), false);

    // The atlas, as the kiosk builds it (on its worker thread): a glyph cache, filled as text
    // is drawn.
    auto a0 = Clock::now();
    auto built = ui::build_font_atlas(ui::FontFiles{}, u.m.body_px, u.m.title_px, u.m.small_px);
    auto a1 = Clock::now();
    if (!built) fail(built.error().message);
    std::unique_ptr<ImFontAtlas> atlas = std::move(built->atlas);
    std::unique_ptr<ui::GlyphCache> glyphs = std::move(built->glyphs);
    ui::use_glyph_cache(glyphs.get());
    u.fonts = built->fonts;
    std::printf("atlas: %dx%d glyph cache at %.0f/%.0f/%.0f px, build %.1f ms\n", atlas->TexWidth,
                atlas->TexHeight, u.m.body_px, u.m.title_px, u.m.small_px, ms_between(a0, a1));

    ImGuiContext* ctx = ImGui::CreateContext(atlas.get());
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    ImGui::GetStyle().AntiAliasedFill = true;

    // Attract → home → the document, then let it settle.
    ui::apply(u.state, ui::ContentAvailable{true});
    const ImVec2 away(-1000, -1000);
    u.frame(away, false, false);
    ui::apply(u.state, ui::Start{});
    u.frame(away, false, false);
    ui::apply(u.state, ui::OpenDocument{longest});
    auto o0 = Clock::now();
    u.frame(away, false, false);  // loads and parses the document, lays it out once
    auto o1 = Clock::now();
    if (!u.lib.doc || u.lib.doc_id != longest) fail("the document " + longest + " did not open");
    for (int i = 0; i < 5; ++i)
        u.frame(away, false, false);

    // Finger strokes from the bottom of the screen to the top: down, slide at 16 px per frame
    // (960 px/s), lift, and let it coast until it stops; until a stroke no longer moves the page
    // (the end is reached). Again from the top (flicking back up) until enough frames are timed.
    const float x = u.m.width * 0.5f;
    const float y_low = u.m.height - u.m.margin * 2, y_high = u.m.bar_height + u.m.margin * 2;
    const float step = 16 * u.m.unit;
    int passes = 0, strokes = 0;
    float max_offset = 0;
    bool endless = false;  // the page never stopped scrolling: a UI bug, reported below
    auto stroke = [&](float from, float to) {
        ++strokes;
        ui::apply(u.state, ui::Touched{});
        u.frame(ImVec2(x, from), true, true);
        const float dir = to > from ? 1.f : -1.f;
        for (float y = from + dir * step; dir * (to - y) > 0; y += dir * step)
            u.frame(ImVec2(x, y), true, true);
        u.frame(ImVec2(x, to), false, true);  // lift: the page flies on and slows down
        int i = 0;
        do
            u.frame(away, false, true);
        while (ui::probe().animating && ++i < 600);
        return u.state.here().scroll;
    };
    while (u.wall_ms.size() < min_frames && !endless) {
        ++passes;
        float last = -1;
        for (int n = 0;; ++n) {  // down the document
            float offset = stroke(y_low, y_high);
            max_offset = std::max(max_offset, offset);
            if (offset <= last + 1) break;
            last = offset;
            if (n == 200) {
                endless = true;
                break;
            }
        }
        if (u.wall_ms.size() >= min_frames || endless) break;
        for (int i = 0; i < 1000 && u.state.here().scroll > 1; ++i)  // flick back to the top
            stroke(y_high, y_low);
    }

    Percentiles wall = percentiles(u.wall_ms), cpu = percentiles(u.cpu_ms);
    std::printf("document: %s (%s), the longest of %zu: %zu characters of body, %.0f px of "
                "scrolling at %dx%d\n",
                longest.c_str(), longest_title.c_str(), documents, longest_len, max_offset, width,
                height);
    std::printf("open the document (load, parse, first layout): %.2f ms\n", ms_between(o0, o1));
    std::printf("scroll by finger: %zu frames, %d stroke(s) in %d pass(es) top to bottom\n",
                u.wall_ms.size(), strokes, passes);
    std::printf("UI CPU per frame (NewFrame + draw_frame + Render; no GL): p50 %.2f ms, p99 %.2f "
                "ms, max %.2f ms, mean %.2f ms (goal <= 4 ms)\n",
                wall.p50, wall.p99, wall.max, wall.mean);
    std::printf("  the same as thread CPU time: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", cpu.p50,
                cpu.p99, cpu.max);
    std::printf("  draw data for the GL side, largest frame: %d vertices, %d indices\n",
                u.max_vertices, u.max_indices);
    ImGui::DestroyContext(ctx);
    if (endless) {
        std::printf("FAILED: the page never reached its end (offset %.0f px after 200 strokes): "
                    "its height is not measured right\n",
                    max_offset);
        return 1;
    }
    return 0;
}
