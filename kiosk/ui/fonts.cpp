// The font atlas as a glyph cache: FreeType rasterises a glyph when text first needs it, into a
// page of the texture; the page used longest ago is emptied when the texture is full.
#include "fonts.hpp"

#include <fcntl.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <imgui_freetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "util/utf8.hpp"

namespace kiosk::ui {

namespace {

constexpr ImWchar kPlaceholder = 0x25A1;  // □
constexpr ImWchar kNoGlyph = static_cast<ImWchar>(-1);
constexpr int kTexWidth = 2048;
constexpr int kFirstHeight = 1024;  // ~1,500 body-size glyphs: several screens' worth
constexpr int kMaxHeight = 4096;
constexpr int kPageHeight = 128;  // eviction unit: a strip of the texture
constexpr int kFreePages = 2;     // kept empty at the start of each frame (~350 body glyphs)

void use_placeholder(ImFont* font, ImWchar placeholder) {
    const ImFontGlyph* glyph = font->FindGlyphNoFallback(placeholder);
    if (!glyph) return;
    font->FallbackChar = placeholder;
    font->FallbackGlyph = glyph;
    font->FallbackAdvanceX = glyph->AdvanceX;
    for (int c = 0; c < font->IndexLookup.Size; ++c) {
        if (font->IndexLookup[c] == kNoGlyph) font->IndexAdvanceX[c] = glyph->AdvanceX;
    }
}

// A font file mapped read-only for as long as the cache lives: FreeType reads a glyph's outline
// from it when the glyph is first drawn, and only those pages of the file are ever touched.
struct MappedFont {
    void* data = nullptr;
    size_t size = 0;
    MappedFont() = default;
    MappedFont(const MappedFont&) = delete;
    MappedFont& operator=(const MappedFont&) = delete;
    ~MappedFont() {
        if (data) ::munmap(data, size);
    }
    // Drops the pages of the file read so far from this process (they stay in the page cache
    // and come back on the next read): the kiosk's footprint is then not the font's.
    void release() {
        if (data) ::madvise(data, size, MADV_DONTNEED);
    }
    Status open(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return make_error("font", "font file " + path + " is missing (fonts-noto-cjk)");
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size < (1LL << 31)) {
            size = static_cast<size_t>(st.st_size);
            data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (data == MAP_FAILED) data = nullptr;
        }
        ::close(fd);
        if (!data) return make_error("font", "font file " + path + " cannot be read");
        return {};
    }
};

float ft_ceil(FT_Pos x) {
    return static_cast<float>(((x + 63) & -64) / 64);
}

GlyphCache* g_current = nullptr;

}  // namespace

struct GlyphCache::Impl {
    // One of the three fonts: its FreeType face at its size, and what ImGui's build gave it.
    struct Face {
        ImFont* font = nullptr;
        FT_Face face = nullptr;
        std::vector<ImFontGlyph> base;  // the built glyphs (space, □, tab), V in texels
        std::vector<float> advance;     // by code point: 0 unknown, -1 not in the font
    };
    struct Shelf {
        int y = 0, h = 0, x = 0;
    };
    struct Page {
        int y0 = 0, y1 = 0, next_y = 0;
        long last_used = -1;
        std::vector<Shelf> shelves;
    };

    MappedFont regular, bold;
    FT_Library library = nullptr;
    ImFontAtlas* atlas = nullptr;
    Face faces[3];
    std::vector<unsigned char> base_pixels;  // ImGui's built rows: white pixel, lines, □
    int base_height = 0;
    ImVec2 white_px;                                       // texel centre of the white pixel
    ImVec4 lines_px[IM_DRAWLIST_TEX_LINES_WIDTH_MAX + 1];  // baked line rows, in texels
    std::vector<Page> pages;
    long frame = 0;
    long rasterised_at_release = 0;
    bool overflow = false, full_upload = false, reused = false;
    std::vector<AtlasUpload> uploads;
    GlyphStats stats;

    ~Impl() {
        for (Face& f : faces)
            if (f.face) FT_Done_Face(f.face);
        if (library) FT_Done_FreeType(library);
    }

    Face* face_of(const ImFont* font) {
        for (Face& f : faces)
            if (f.font == font) return &f;
        return nullptr;
    }

    void set_index(ImFont* font, unsigned cp, int glyph) {
        if (static_cast<int>(cp) >= font->IndexLookup.Size) {
            const int old = font->IndexLookup.Size;
            const int size = (static_cast<int>(cp) / 4096 + 1) * 4096;
            font->IndexLookup.resize(size, kNoGlyph);
            font->IndexAdvanceX.resize(size, font->FallbackAdvanceX);
            const auto& adv = face_of(font)->advance;
            for (int c = old; c < size && c < static_cast<int>(adv.size()); ++c)
                if (adv[c] > 0) font->IndexAdvanceX[c] = adv[c];
        }
        font->IndexLookup[cp] = static_cast<ImWchar>(glyph);
    }

    // The lookup tables from the glyph list, as ImGui's BuildLookupTable() does, keeping the
    // advances known for glyphs not (or no longer) in the texture.
    void rebuild_index(Face& f) {
        ImFont* font = f.font;
        for (auto& i : font->IndexLookup)
            i = kNoGlyph;
        for (int g = 0; g < font->Glyphs.Size; ++g)
            set_index(font, font->Glyphs[g].Codepoint, g);
        refresh_fallback(font);
        font->DirtyLookupTables = false;
    }

    static void refresh_fallback(ImFont* font) {
        // (Glyphs may have moved: the fallback pointer must follow.)
        const ImFontGlyph* g = font->FindGlyphNoFallback(font->FallbackChar);
        if (g) font->FallbackGlyph = g;
    }

    // Empties the texture down to ImGui's built rows, at a (new) height.
    void reset(int height) {
        const float h = static_cast<float>(height);
        atlas->TexHeight = height;
        atlas->TexUvScale = ImVec2(1.0f / static_cast<float>(atlas->TexWidth), 1.0f / h);
        atlas->TexUvWhitePixel =
            ImVec2(white_px.x / static_cast<float>(atlas->TexWidth), white_px.y / h);
        for (int n = 0; n <= IM_DRAWLIST_TEX_LINES_WIDTH_MAX; ++n) {
            const ImVec4& l = lines_px[n];
            atlas->TexUvLines[n] = ImVec4(l.x / static_cast<float>(atlas->TexWidth), l.y / h,
                                          l.z / static_cast<float>(atlas->TexWidth), l.w / h);
        }
        for (Face& f : faces) {
            f.font->Glyphs.clear();
            for (ImFontGlyph g : f.base) {
                g.V0 /= h;
                g.V1 /= h;
                f.font->Glyphs.push_back(g);
            }
            rebuild_index(f);
        }
        pages.clear();
        for (int y = base_height + 1; y + kPageHeight <= height; y += kPageHeight) {
            Page p;
            p.y0 = p.next_y = y;
            p.y1 = y + kPageHeight;
            pages.push_back(p);
        }
        atlas->ClearTexData();
        const size_t bytes = static_cast<size_t>(atlas->TexWidth) * static_cast<size_t>(height);
        atlas->TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(bytes));
        std::memset(atlas->TexPixelsAlpha8, 0, bytes);
        std::memcpy(atlas->TexPixelsAlpha8, base_pixels.data(), base_pixels.size());
        uploads.clear();
        full_upload = true;
        stats.width = atlas->TexWidth;
        stats.height = height;
    }

    // Where a w x h glyph goes (its top-left texel), with a clear texel around it; -1 when no
    // page has room and none can be emptied this frame.
    bool place(int w, int h, int& x, int& y) {
        auto fit = [&](Page& p) {
            for (Shelf& s : p.shelves) {
                if (s.h >= h + 1 && s.h <= (h + 1) * 5 / 4 + 2 && s.x + w + 2 <= atlas->TexWidth) {
                    x = s.x + 1, y = s.y + 1;
                    s.x += w + 1;
                    return true;
                }
            }
            if (p.next_y + h + 2 <= p.y1 && w + 2 <= atlas->TexWidth) {
                p.shelves.push_back(Shelf{p.next_y, h + 1, w + 1});
                x = 1, y = p.next_y + 1;
                p.next_y += h + 1;
                return true;
            }
            return false;
        };
        // Pages this frame already uses first, then empty ones: filling the leftover room of
        // an old page would mark it used, and a frame's glyphs spread over every page leave
        // none to evict.
        for (Page& p : pages)
            if (p.last_used == frame && fit(p)) return true;
        for (Page& p : pages) {
            if (p.next_y == p.y0 && fit(p)) {
                p.last_used = frame;
                return true;
            }
        }
        Page* lru = nullptr;
        for (Page& p : pages)
            if (p.last_used < frame && (!lru || p.last_used < lru->last_used)) lru = &p;
        if (!lru) return false;
        evict(*lru);
        if (!fit(*lru)) return false;  // (a glyph taller than a page)
        lru->last_used = frame;
        return true;
    }

    void evict(Page& p) {
        const float h = static_cast<float>(atlas->TexHeight);
        for (Face& f : faces) {
            ImVector<ImFontGlyph>& glyphs = f.font->Glyphs;
            int kept = 0;
            for (int g = 0; g < glyphs.Size; ++g) {
                const float ty = glyphs[g].V0 * h;
                if (glyphs[g].Visible && ty >= static_cast<float>(p.y0) &&
                    ty < static_cast<float>(p.y1))
                    continue;
                glyphs[kept++] = glyphs[g];
            }
            if (kept != glyphs.Size) {
                glyphs.resize(kept);
                rebuild_index(f);
            }
        }
        p.shelves.clear();
        p.next_y = p.y0;
        ++stats.evicted_pages;
        reused = true;
    }

    float advance(Face& f, unsigned cp) {
        if (cp >= f.advance.size()) f.advance.resize((cp / 4096 + 1) * 4096, 0.0f);
        float& a = f.advance[cp];
        if (a != 0) return a;
        const FT_UInt index = FT_Get_Char_Index(f.face, cp);
        if (index == 0 || FT_Load_Glyph(f.face, index, FT_LOAD_NO_BITMAP) != 0) {
            a = -1;
        } else {
            a = ft_ceil(f.face->glyph->advance.x);
            if (a <= 0) a = -1;
        }
        if (a > 0) {
            ImFont* font = f.font;
            if (static_cast<int>(cp) >= font->IndexLookup.Size)
                set_index(font, cp, kNoGlyph);  // grows both tables
            font->IndexAdvanceX[cp] = a;
        }
        return a;
    }

    void stamp(const ImFontGlyph& g) {
        if (!g.Visible) return;
        const int ty = static_cast<int>(g.V0 * static_cast<float>(atlas->TexHeight));
        if (ty <= base_height) return;
        const size_t page = static_cast<size_t>((ty - base_height - 1) / kPageHeight);
        if (page < pages.size()) pages[page].last_used = frame;
    }

    // Rasterises one glyph into the texture, laid out as ImGui's FreeType builder does.
    void rasterise(Face& f, unsigned cp) {
        const FT_UInt index = FT_Get_Char_Index(f.face, cp);
        FT_GlyphSlot slot = f.face->glyph;
        if (index == 0 || FT_Load_Glyph(f.face, index, FT_LOAD_NO_BITMAP) != 0 ||
            ft_ceil(slot->advance.x) <= 0) {
            if (cp >= f.advance.size()) f.advance.resize((cp / 4096 + 1) * 4096, 0.0f);
            f.advance[cp] = -1;  // not in the font: the placeholder is drawn
            return;
        }
        const float adv = ft_ceil(slot->advance.x);
        if (cp >= f.advance.size()) f.advance.resize((cp / 4096 + 1) * 4096, 0.0f);
        f.advance[cp] = adv;
        if (FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) != 0) return;
        const FT_Bitmap& bm = slot->bitmap;
        const int w = static_cast<int>(bm.width), h = static_cast<int>(bm.rows);
        const float x0 = static_cast<float>(slot->bitmap_left);
        const float y0 = static_cast<float>(-slot->bitmap_top) + std::round(f.font->Ascent);
        ImFont* font = f.font;
        int tx = 0, ty = 0;
        if (w > 0 && h > 0) {
            if (bm.pixel_mode != FT_PIXEL_MODE_GRAY) return;
            if (!place(w, h, tx, ty)) {
                overflow = true;  // drawn as □ this frame; the texture grows before the next
                return;
            }
            AtlasUpload up;
            up.x = tx - 1, up.y = ty - 1, up.w = w + 2, up.h = h + 2;
            up.alpha.assign(static_cast<size_t>(up.w) * static_cast<size_t>(up.h), 0);
            for (int r = 0; r < h; ++r)
                std::memcpy(&up.alpha[static_cast<size_t>(r + 1) * up.w + 1],
                            bm.buffer + static_cast<ptrdiff_t>(r) * bm.pitch,
                            static_cast<size_t>(w));
            uploads.push_back(std::move(up));
        }
        const float tw = static_cast<float>(atlas->TexWidth),
                    th = static_cast<float>(atlas->TexHeight);
        font->AddGlyph(nullptr, static_cast<ImWchar>(cp), x0, y0, x0 + static_cast<float>(w),
                       y0 + static_cast<float>(h), static_cast<float>(tx) / tw,
                       static_cast<float>(ty) / th, static_cast<float>(tx + w) / tw,
                       static_cast<float>(ty + h) / th, adv);
        set_index(font, cp, font->Glyphs.Size - 1);
        font->IndexAdvanceX[cp] = adv;
        font->Used4kPagesMap[cp >> 12 >> 3] |= static_cast<ImU8>(1 << ((cp >> 12) & 7));
        font->DirtyLookupTables = false;
        refresh_fallback(font);
        ++stats.rasterised;
    }
};

GlyphCache::GlyphCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

GlyphCache::~GlyphCache() {
    if (g_current == this) g_current = nullptr;
}

void GlyphCache::begin_frame() {
    Impl& m = *impl_;
    ++m.frame;
    if (m.stats.rasterised != m.rasterised_at_release) {
        m.rasterised_at_release = m.stats.rasterised;
        m.regular.release();
        m.bold.release();
    }
    if (m.overflow && m.atlas->TexHeight < kMaxHeight) {
        ++m.stats.overflows;
        m.reset(m.atlas->TexHeight * 2);
    }
    m.overflow = false;
    // Room for a new screenful before anything is drawn: glyphs used on every screen (the bar's
    // labels, punctuation) end up spread over all pages, and a page any of them sits in cannot
    // be emptied during a frame that draws them. Between frames any page can be: what the new
    // frame still needs is rasterised again, into the pages it fills.
    for (;;) {
        int empty = 0;
        GlyphCache::Impl::Page* lru = nullptr;
        for (auto& p : m.pages) {
            if (p.next_y == p.y0)
                ++empty;
            else if (!lru || p.last_used < lru->last_used)
                lru = &p;
        }
        if (empty >= kFreePages || !lru) break;
        m.evict(*lru);
    }
}

void GlyphCache::need_metrics(ImFont* font, std::string_view text) {
    Impl::Face* f = impl_->face_of(font);
    if (!f) return;
    for (size_t i = 0; i < text.size();) {
        const unsigned cp = util::next_code_point(text, i);
        if (cp < 0x20 || cp > 0xFFFF) continue;
        if (cp < f->advance.size() && f->advance[cp] != 0) continue;
        impl_->advance(*f, cp);
    }
}

void GlyphCache::need_glyphs(ImFont* font, std::string_view text) {
    Impl::Face* f = impl_->face_of(font);
    if (!f) return;
    for (size_t i = 0; i < text.size();) {
        const unsigned cp = util::next_code_point(text, i);
        if (cp < 0x20 || cp > 0xFFFF) continue;
        if (static_cast<int>(cp) < font->IndexLookup.Size && font->IndexLookup[cp] != kNoGlyph) {
            impl_->stamp(font->Glyphs[font->IndexLookup[cp]]);
            continue;
        }
        if (cp < f->advance.size() && f->advance[cp] < 0) continue;  // not in the font
        impl_->rasterise(*f, cp);
    }
}

std::vector<AtlasUpload> GlyphCache::take_uploads(bool& full, bool& texels_reused) {
    full = impl_->full_upload;
    texels_reused = impl_->reused;
    impl_->full_upload = impl_->reused = false;
    return std::exchange(impl_->uploads, {});
}

GlyphStats GlyphCache::stats() const {
    GlyphStats s = impl_->stats;
    for (const auto& f : impl_->faces)
        s.resident += f.font->Glyphs.Size;
    return s;
}

void use_glyph_cache(GlyphCache* cache) {
    g_current = cache;
}

GlyphCache* current_glyph_cache() {
    return g_current;
}

Result<FontAtlas> build_font_atlas(const FontFiles& files, float body_px, float title_px,
                                   float small_px) {
    auto impl = std::make_unique<GlyphCache::Impl>();
    GlyphCache::Impl& m = *impl;
    if (Status st = m.regular.open(files.regular); !st) return st.error();
    if (Status st = m.bold.open(files.bold); !st) return st.error();

    FontAtlas out;
    out.atlas = std::make_unique<ImFontAtlas>();
    ImFontAtlas& atlas = *out.atlas;
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = 0;
    atlas.TexDesiredWidth = kTexWidth;

    // ImGui builds the fonts with the space and the placeholder only (and its white pixel and
    // baked lines); everything else is added by the cache.
    static const ImWchar base_ranges[] = {0x20, 0x20, kPlaceholder, kPlaceholder, 0};
    auto add = [&](MappedFont& file, float px) -> ImFont* {
        ImFontConfig cfg;
        cfg.FontData = file.data;
        cfg.FontDataSize = static_cast<int>(file.size);
        // Handed over as owned so ImGui does not copy it (60 MB), and taken back at once: the
        // mapping is the cache's, and ClearInputData() must not free it.
        cfg.FontDataOwnedByAtlas = true;
        cfg.FontNo = files.face_index;
        cfg.SizePixels = px;
        cfg.GlyphRanges = base_ranges;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        ImFont* font = atlas.AddFont(&cfg);
        if (font) atlas.ConfigData.back().FontDataOwnedByAtlas = false;
        return font;
    };
    Fonts& fonts = out.fonts;
    fonts.body = add(m.regular, body_px);
    fonts.title = add(m.bold, title_px);
    fonts.small = add(m.regular, small_px);
    if (!fonts.body || !fonts.title || !fonts.small || !atlas.Build())
        return make_error("font", "the font atlas could not be built");
    atlas.ClearInputData();

    // The same faces, at the same sizes, for the glyphs that come later.
    if (FT_Init_FreeType(&m.library) != 0) return make_error("font", "FreeType cannot start");
    const struct {
        MappedFont* file;
        ImFont* font;
        float px;
    } sources[3] = {{&m.regular, fonts.body, body_px},
                    {&m.bold, fonts.title, title_px},
                    {&m.regular, fonts.small, small_px}};
    m.atlas = &atlas;
    m.base_height = atlas.TexHeight;
    const float base_h = static_cast<float>(atlas.TexHeight);
    for (int i = 0; i < 3; ++i) {
        GlyphCache::Impl::Face& f = m.faces[i];
        f.font = sources[i].font;
        if (FT_New_Memory_Face(m.library, static_cast<const FT_Byte*>(sources[i].file->data),
                               static_cast<FT_Long>(sources[i].file->size), files.face_index,
                               &f.face) != 0 ||
            FT_Select_Charmap(f.face, FT_ENCODING_UNICODE) != 0)
            return make_error("font", "the font cannot be opened by FreeType");
        FT_Size_RequestRec req{};
        req.type = FT_SIZE_REQUEST_TYPE_REAL_DIM;
        req.height = static_cast<FT_Long>(static_cast<uint32_t>(sources[i].px) * 64);
        FT_Request_Size(f.face, &req);
        use_placeholder(f.font, kPlaceholder);
        for (ImFontGlyph g : f.font->Glyphs) {
            g.V0 = std::round(g.V0 * base_h);
            g.V1 = std::round(g.V1 * base_h);
            f.base.push_back(g);
        }
    }
    m.white_px = ImVec2(atlas.TexUvWhitePixel.x * static_cast<float>(atlas.TexWidth),
                        std::round(atlas.TexUvWhitePixel.y * base_h * 2) / 2);
    for (int n = 0; n <= IM_DRAWLIST_TEX_LINES_WIDTH_MAX; ++n) {
        const ImVec4& l = atlas.TexUvLines[n];
        const float w = static_cast<float>(atlas.TexWidth);
        m.lines_px[n] = ImVec4(std::round(l.x * w * 2) / 2, std::round(l.y * base_h * 2) / 2,
                               std::round(l.z * w * 2) / 2, std::round(l.w * base_h * 2) / 2);
    }
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &w, &h);
    m.base_pixels.assign(pixels, pixels + static_cast<size_t>(w) * static_cast<size_t>(h));
    m.reset(kFirstHeight);
    out.glyphs = std::make_unique<GlyphCache>(std::move(impl));
    return out;
}

}  // namespace kiosk::ui
