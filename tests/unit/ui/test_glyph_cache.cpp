// The glyph cache: a character is in the atlas the first time it is drawn, the texture does not
// grow with the number of characters met, and glyphs in use are never evicted under the text.
#include <doctest/doctest.h>
#include <imgui.h>

#include <string>

#include "text/line_break.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"

using namespace kiosk::ui;

namespace {

std::string utf8(char32_t c) {
    std::string s;
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
    return s;
}

struct Cache {
    FontAtlas a;
    Cache() {
        Metrics m = metrics_for(1920, 1080, false);
        auto built = build_font_atlas(FontFiles{}, m.body_px, m.title_px, m.small_px);
        REQUIRE(built.ok());
        a = std::move(*built);
    }
    // The placeholder (□) is what ImGui draws for a character without a glyph.
    bool drawn_as_itself(ImFont* f, char32_t c) {
        return f->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
    }
};

}  // namespace

TEST_CASE("a character drawn for the first time is rasterised at once, not drawn as a box") {
    Cache c;
    c.a.glyphs->begin_frame();
    CHECK_FALSE(c.drawn_as_itself(c.a.fonts.body, U'审'));
    c.a.glyphs->need_glyphs(c.a.fonts.body, "审批");
    CHECK(c.drawn_as_itself(c.a.fonts.body, U'审'));
    CHECK(c.drawn_as_itself(c.a.fonts.body, U'批'));
    CHECK_FALSE(c.drawn_as_itself(c.a.fonts.title, U'审'));  // each size on its own
    bool full = false, reused = false;
    auto ups = c.a.glyphs->take_uploads(full, reused);
    CHECK(full);  // the first upload is the whole texture
    CHECK(ups.size() == 2);
    CHECK_FALSE(reused);
}

TEST_CASE("advances are known before glyphs are rasterised, and match the rasterised glyph's") {
    Cache c;
    ImFont* f = c.a.fonts.body;
    c.a.glyphs->need_metrics(f, "审a");
    const float before = f->GetCharAdvance(U'审'), before_a = f->GetCharAdvance('a');
    CHECK_FALSE(c.drawn_as_itself(f, U'审'));
    c.a.glyphs->need_glyphs(f, "审a");
    CHECK(f->FindGlyphNoFallback(U'审')->AdvanceX == before);
    CHECK(f->FindGlyphNoFallback('a')->AdvanceX == before_a);
    CHECK(before_a < before);
}

TEST_CASE("paging through all of GB2312's characters keeps the texture at its first size") {
    Cache c;
    // One screenful of distinct characters at a time, as paging through a document would.
    std::string screen;
    int screens = 0, chars = 0;
    auto draw = [&] {
        c.a.glyphs->begin_frame();
        // A screen of body text, with captions and a few headings among it.
        c.a.glyphs->need_glyphs(c.a.fonts.body, screen);
        c.a.glyphs->need_glyphs(c.a.fonts.small, screen.substr(0, 3 * 100));
        c.a.glyphs->need_glyphs(c.a.fonts.title, screen.substr(0, 3 * 40));
        // Every character of this frame is in the atlas: nothing evicted under it.
        for (size_t i = 0; i < screen.size(); i += 3) {
            const char32_t cp =
                static_cast<char32_t>(((screen[i] & 0x0F) << 12) | ((screen[i + 1] & 0x3F) << 6) |
                                      (screen[i + 2] & 0x3F));
            REQUIRE(c.drawn_as_itself(c.a.fonts.body, cp));
            if (i < 3 * 40) REQUIRE(c.drawn_as_itself(c.a.fonts.title, cp));
        }
        ++screens;
        screen.clear();
    };
    // The CJK unified ideographs GB2312 covers lie in U+4E00..U+9FA5; every 3rd of them is
    // about as many as GB2312's 6,763.
    for (char32_t cp = 0x4E00; cp <= 0x9FA5; cp += 3) {
        screen += utf8(cp);
        if (++chars % 300 == 0) draw();
    }
    draw();
    const GlyphStats s = c.a.glyphs->stats();
    CHECK(s.height == 1024);
    CHECK(s.overflows == 0);
    CHECK(s.evicted_pages > 0);
    CHECK(s.rasterised >= 6000);
    CHECK(s.resident < 3000);
    bool full = false, reused = false;
    c.a.glyphs->take_uploads(full, reused);
    CHECK(reused);  // pages were handed to other glyphs
}

TEST_CASE("a frame needing more glyphs than the texture holds grows it before the next frame") {
    Cache c;
    std::string many;
    for (char32_t cp = 0x4E00; cp < 0x4E00 + 1200; ++cp)
        many += utf8(cp);
    c.a.glyphs->begin_frame();
    c.a.glyphs->need_glyphs(c.a.fonts.title, many);  // more than 1024 rows hold at title size
    c.a.glyphs->begin_frame();
    CHECK(c.a.glyphs->stats().height == 2048);
    c.a.glyphs->need_glyphs(c.a.fonts.title, many);
    for (char32_t cp = 0x4E00; cp < 0x4E00 + 1200; ++cp)
        REQUIRE(c.drawn_as_itself(c.a.fonts.title, cp));
    bool full = false, reused = false;
    c.a.glyphs->take_uploads(full, reused);
    CHECK(full);
}
