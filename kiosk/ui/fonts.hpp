// The font atlas: Noto Sans CJK SC at the sizes the theme asks for, as a glyph cache. Glyphs are
// rasterised with FreeType when text first needs them, into pages of the atlas texture that are
// evicted least recently used, so neither start-up nor memory grows with the content's characters.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

// A rectangle of the atlas texture to replace: Alpha8 rows, w * h bytes.
struct AtlasUpload {
    int x = 0, y = 0, w = 0, h = 0;
    std::vector<unsigned char> alpha;
};

struct GlyphStats {
    int width = 0, height = 0;  // the atlas texture
    int resident = 0;           // glyphs in it now
    long rasterised = 0;        // glyphs rasterised since it was built
    long evicted_pages = 0;     // pages given to other glyphs
    long overflows = 0;         // frames that needed more glyphs than the texture holds (it grew)
};

// The glyphs of one atlas. ImGui 1.86 has no dynamic atlas, so this adds and removes entries of
// the three ImFonts itself (ImFont::AddGlyph, IndexLookup), the same way ImGui's FreeType
// builder lays them out. Used from one thread at a time.
class GlyphCache {
public:
    struct Impl;
    explicit GlyphCache(std::unique_ptr<Impl> impl);
    ~GlyphCache();
    GlyphCache(const GlyphCache&) = delete;
    GlyphCache& operator=(const GlyphCache&) = delete;

    // Before ImGui::NewFrame(): a new frame for least-recently-used; grows the texture when the
    // last frame did not fit (then take_uploads() says `full`).
    void begin_frame();
    // The advance of every character of `text` (for line breaking), without rasterising.
    void need_metrics(ImFont* font, std::string_view text);
    // Every glyph of `text` rasterised and marked as used in this frame: call before drawing it.
    void need_glyphs(ImFont* font, std::string_view text);
    // What the texture needs since the last call. `full`: upload the whole atlas again (its
    // TexPixelsAlpha8 is ready) before the rectangles. `texels_reused`: a page held other glyphs
    // before (a renderer that keeps earlier frames' pixels must redraw them).
    std::vector<AtlasUpload> take_uploads(bool& full, bool& texels_reused);
    GlyphStats stats() const;

private:
    std::unique_ptr<Impl> impl_;
};

// A built atlas and its three fonts. Nothing in it needs an ImGui context, so it can be built
// on a worker thread; the program then points io.Fonts at it and makes its cache current.
struct FontAtlas {
    std::unique_ptr<ImFontAtlas> atlas;  // Alpha8 pixels ready (TexPixelsAlpha8) for the upload
    Fonts fonts;
    std::unique_ptr<GlyphCache> glyphs;
};

// Builds an atlas for the given sizes holding only the placeholder (□) and the space at first;
// every other glyph comes through the cache. Characters the font lacks draw as □.
Result<FontAtlas> build_font_atlas(const FontFiles& files, float body_px, float title_px,
                                   float small_px);

// The cache the text functions (ui/text.hpp) feed; nullptr for none. The caller keeps it alive.
void use_glyph_cache(GlyphCache* cache);
GlyphCache* current_glyph_cache();

}  // namespace kiosk::ui
