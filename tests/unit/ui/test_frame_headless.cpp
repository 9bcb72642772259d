// The UI drawn headless (an ImGui context and a real font atlas, no window): what a person can
// touch on each screen, and how big it is.
#include <doctest/doctest.h>
#include <imgui.h>

#include <ctime>

#include "../test_support.hpp"
#include "store/content_store.hpp"
#include "ui/frame.hpp"
#include "ui/probe.hpp"

using namespace kiosk;
using namespace kiosk::ui;

namespace {

struct Headless {
    testing::TempDir dir;
    std::optional<store::ContentStore> store;
    AppState state;
    Library lib;
    std::unique_ptr<ImFontAtlas> atlas;
    Fonts fonts;
    std::unique_ptr<GlyphCache> glyphs;
    Metrics m;
    ImGuiContext* ctx = nullptr;
    ImeView ime;

    Headless(float w, float h, bool large = false) {
        std::string b = dir / "sample.kbundle";
        testing::build_ok(testing::load_ok(std::string(KIOSK_SOURCE_DIR) + "/content"), b, 1);
        auto s = store::ContentStore::open(b);
        REQUIRE(s.ok());
        store.emplace(std::move(*s));
        m = metrics_for(w, h, large);
        auto f = build_font_atlas(FontFiles{}, m.body_px, m.title_px, m.small_px);
        REQUIRE(f.ok());
        atlas = std::move(f->atlas);
        fonts = f->fonts;
        glyphs = std::move(f->glyphs);
        use_glyph_cache(glyphs.get());
        ctx = ImGui::CreateContext(atlas.get());
        ImGui::GetIO().IniFilename = nullptr;
        apply(state, ContentAvailable{true});
    }
    ~Headless() { ImGui::DestroyContext(ctx); }

    Actions frame() {
        ImGui::SetCurrentContext(ctx);
        refresh(lib, &*store, state, store->meta().created_unix);
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(m.width, m.height);
        io.DeltaTime = 1.0f / 30;
        glyphs->begin_frame();
        ImGui::NewFrame();
        Actions out;
        draw_frame(View{state, lib, fonts, m, 0, ime, {}}, out);
        ImGui::Render();
        return out;
    }
};

}  // namespace

TEST_CASE("every category tile on the home screen is a finger-sized target, in both orientations "
          "and on a smaller 1366x768 panel") {
    for (auto [w, h] : {std::pair{1920.f, 1080.f}, {1080.f, 1920.f}, {1366.f, 768.f}}) {
        Headless ui(w, h);
        apply(ui.state, Start{});
        ui.frame();
        ui.frame();
        REQUIRE(ui.lib.categories.size() == 8);
        for (const auto& c : ui.lib.categories) {
            const ProbeItem* t = probe().find_target(c.name);
            REQUIRE_MESSAGE(t != nullptr, c.name);
            CHECK(t->max.y - t->min.y >= 72);
            CHECK(t->max.x - t->min.x >= 72);
            CHECK(t->max.y <= h);  // all on screen: no category needs scrolling
        }
        for (const char* label : {"返回", "首页", "大字"}) {
            const ProbeItem* t = probe().find_target(label);
            REQUIRE_MESSAGE(t != nullptr, label);
            CHECK(t->max.y - t->min.y >= 72);
        }
    }
}

TEST_CASE("body text is at least 32 px tall at 1080p and 1.3 times that with large text") {
    auto glyph_height = [](bool large) {
        Headless ui(1920, 1080, large);
        ui.glyphs->need_glyphs(ui.fonts.body, "审");
        const ImFontGlyph* g = ui.fonts.body->FindGlyphNoFallback(0x5BA1);
        REQUIRE(g != nullptr);
        return g->Y1 - g->Y0;
    };
    float normal = glyph_height(false);
    CHECK(normal >= 32);
    CHECK(glyph_height(true) >= 1.25f * normal);
}

TEST_CASE("every document of the sample content draws without losing its title") {
    Headless ui(1080, 1920);
    apply(ui.state, Start{});
    ui.frame();
    auto categories = ui.lib.categories;
    for (const auto& c : categories) {
        apply(ui.state, GoHome{});
        apply(ui.state, OpenCategory{c.id});
        ui.frame();
        auto docs = ui.lib.category_docs;
        for (const auto& d : docs) {
            apply(ui.state, OpenDocument{d.id});
            ui.frame();
            ui.frame();
            REQUIRE(ui.lib.doc.has_value());
            CHECK_MESSAGE(probe().shows_text(d.title), d.id);
            CHECK(probe().shows_text("示例数据"));
            apply(ui.state, GoBack{});
        }
    }
}

TEST_CASE("a rare candidate's character is in the font the first frame it is drawn, never a box") {
    Headless ui(1920, 1080);
    apply(ui.state, Start{});
    apply(ui.state, OpenSearch{});
    REQUIRE(ui.fonts.body->FindGlyphNoFallback(static_cast<ImWchar>(0x9F98)) == nullptr);  // 龘
    ui.ime.available = true;
    ui.ime.preedit = "da";
    ui.ime.candidates = {"大", "龘"};
    ui.ime.total = 2;
    ui.frame();
    CHECK(probe().shows_text("龘"));
    CHECK(probe().find_target("#cand2") != nullptr);
    CHECK(ui.fonts.body->FindGlyphNoFallback(static_cast<ImWchar>(0x9F98)) != nullptr);
}
