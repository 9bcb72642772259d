// The font atlas: Noto Sans CJK SC at the sizes the theme asks for, holding only needed glyphs.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::ui {

struct Fonts {
    ImFont* body = nullptr;   // regular, body size
    ImFont* title = nullptr;  // bold, title size
    ImFont* small = nullptr;  // regular, small size (provenance, captions)
    float scale_key = 0;      // the unit and text size the atlas was built for
};

struct FontFiles {
    std::string regular = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    std::string bold = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
    int face_index = 2;  // Simplified Chinese in the collection
};

// Every UI string the program draws (labels, messages), so their glyphs are always present.
std::string_view ui_strings();

// A built atlas and its three fonts. Nothing in it needs an ImGui context, so it can be built
// on a worker thread while the window and renderer start, or while the kiosk keeps drawing with
// the previous atlas; the program then points io.Fonts at it.
struct FontAtlas {
    std::unique_ptr<ImFontAtlas> atlas;  // rasterised: Alpha8 pixels ready (TexPixelsAlpha8)
    Fonts fonts;
};

// Builds an atlas for the given sizes and glyphs (UTF-8 text holding every character needed;
// duplicates are fine). The title font holds only title_glyph_text (and the UI strings): titles
// and headings use far fewer characters than body text, and the atlas is the kiosk's largest
// allocation and its slowest start-up step. The font files are mapped, not read: FreeType touches
// only the glyphs it rasterises. Missing characters draw as □.
Result<FontAtlas> build_font_atlas(const FontFiles& files, std::string_view glyph_text,
                                   std::string_view title_glyph_text, float body_px, float title_px,
                                   float small_px);

}  // namespace kiosk::ui
