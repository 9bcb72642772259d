// The software renderer: SDL's 2-D renderer without a GPU. ImGui's triangles go through
// SDL_RenderGeometryRaw, which draws the axis-aligned quads that make up nearly all of the
// kiosk's frame (glyphs, cards, bars) as fast blits and only the rest as triangles. The window's
// pixels persist between frames, so only what changed is drawn again (frame_damage.hpp), and a
// scrolled page is moved rather than redrawn.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "frame_damage.hpp"
#include "renderer.hpp"

namespace kiosk::app {

namespace {

SDL_Texture* sdl_texture(ImTextureID t) {
    return static_cast<SDL_Texture*>(t);
}

class SoftwareRenderer final : public Renderer {
public:
    SoftwareRenderer(SDL_Renderer* r, SDL_Window* window) : r_(r), window_(window) {
        full_redraw_ = std::getenv("KIOSK_FULL_REDRAW") != nullptr;
        verify_ = std::getenv("KIOSK_VERIFY_DAMAGE") != nullptr;
        ImGuiIO& io = ImGui::GetIO();
        io.BackendRendererName = "kiosk-software";
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // meshes over 64K vertices
        io.Fonts->Clear();  // the context's own atlas stays empty: ours come from the worker
    }
    ~SoftwareRenderer() override {
        if (std::getenv("KIOSK_TRACE"))
            std::fprintf(
                stderr,
                "trace: damage frames %ld full %ld (partial: %.1f rects, %.0f%% of the "
                "screen each) verified %ld mismatched %ld\n",
                frames_, full_frames_,
                static_cast<double>(rects_) / std::max(1L, frames_ - full_frames_),
                100.0 * static_cast<double>(damaged_px_) /
                    std::max(1.0, static_cast<double>(frames_ - full_frames_) * width_ * height_),
                verified_, mismatched_);
        if (font_texture_) SDL_DestroyTexture(font_texture_);
        SDL_DestroyRenderer(r_);
        ImGuiIO& io = ImGui::GetIO();
        io.BackendRendererName = nullptr;
        io.BackendFlags &= ~ImGuiBackendFlags_RendererHasVtxOffset;
    }

    const char* name() const override { return "software"; }

    // SDL's software textures have no one-channel format: white with the coverage as alpha.
    void upload_font_atlas(ImFontAtlas& atlas) override {
        unsigned char* alpha = nullptr;
        int w = 0, h = 0;
        atlas.GetTexDataAsAlpha8(&alpha, &w, &h);
        if (font_texture_) SDL_DestroyTexture(font_texture_);
        font_texture_ =
            SDL_CreateTexture(r_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, w, h);
        if (font_texture_) {
            std::vector<Uint32> argb(static_cast<size_t>(w) * h);
            for (size_t i = 0; i < argb.size(); ++i)
                argb[i] = (static_cast<Uint32>(alpha[i]) << 24) | 0x00FFFFFFu;
            SDL_UpdateTexture(font_texture_, nullptr, argb.data(), w * 4);
            SDL_SetTextureBlendMode(font_texture_, SDL_BLENDMODE_BLEND);
            // Text drawn larger than its atlas size (the attract screen's heading) is filtered,
            // as OpenGL does, not enlarged pixel by pixel.
            SDL_SetTextureScaleMode(font_texture_, SDL_ScaleModeLinear);
        }
        atlas.SetTexID(font_texture_);
        atlas.ClearTexData();
        force_full_ = true;
    }

    void update_font_atlas(const ui::AtlasUpload& up, bool texels_reused) override {
        if (!font_texture_) return;
        std::vector<Uint32> argb(up.alpha.size());
        for (size_t i = 0; i < argb.size(); ++i)
            argb[i] = (static_cast<Uint32>(up.alpha[i]) << 24) | 0x00FFFFFFu;
        const SDL_Rect r{up.x, up.y, up.w, up.h};
        SDL_UpdateTexture(font_texture_, &r, argb.data(), up.w * 4);
        // Texels an earlier frame's glyph used now hold another: pixels kept from then may show
        // the old glyph where the draw data is unchanged.
        if (texels_reused) force_full_ = true;
    }

    ImTextureID upload_image(const unsigned char* rgba, int w, int h) override {
        SDL_Texture* t =
            SDL_CreateTexture(r_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, w, h);
        if (!t) return nullptr;
        SDL_UpdateTexture(t, nullptr, rgba, w * 4);
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
        return t;
    }

    void free_image(ImTextureID texture) override {
        SDL_DestroyTexture(sdl_texture(texture));
        force_full_ = true;  // (a new image may get the freed one's address)
    }

    void hint_scroll_layer(const ImVec4& clip, float offset, bool valid) override {
        hint_ = ScrollHint{clip, static_cast<int>(offset), valid && offset == std::floor(offset)};
    }

    std::string self_check() const override {
        if (mismatched_ == 0) return "";
        return "the software renderer's partial redraw differed from a full one in " +
               std::to_string(mismatched_) + " of " + std::to_string(verified_) +
               " frames (worst: " + std::to_string(worst_pixels_) + " pixels)";
    }

    void new_frame() override {}

    void draw(ImDrawData* data, int width, int height) override {
        width_ = width, height_ = height;
        SDL_Surface* surface = SDL_GetWindowSurface(window_);
        const bool surface_changed = surface != last_surface_;
        last_surface_ = surface;
        DamagePlan plan = damage_.plan(data, width, height, hint_,
                                       force_full_ || full_redraw_ || surface_changed || !surface);
        ++frames_;
        force_full_ = false;
        if (plan.full) {
            ++full_frames_;
            draw_all(data, width, height);
            return;
        }
        SDL_RenderFlush(r_);  // (nothing queued may land after the move)
        if (plan.dy != 0) move_layer(surface, plan.layer, plan.dy);
        for (const IRect& d : plan.rects) {
            draw_rect(d);
            damaged_px_ += static_cast<long>(d.x1 - d.x0) * (d.y1 - d.y0);
        }
        rects_ += static_cast<long>(plan.rects.size());
        if (verify_) {
            verify(data, width, height, surface);
        }
    }

    void present() override { SDL_RenderPresent(r_); }
    void finish() override { SDL_RenderFlush(r_); }

    Result<std::vector<unsigned char>> read_rgb(int width, int height) override {
        std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
        if (SDL_RenderReadPixels(r_, nullptr, SDL_PIXELFORMAT_RGB24, pixels.data(), width * 3) != 0)
            return make_error("display", std::string("cannot read the frame: ") + SDL_GetError());
        return pixels;
    }

private:
    void clear_to_paper(const SDL_Rect* rect) {
        SDL_SetRenderDrawBlendMode(r_, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(r_, 247, 245, 240, 255);
        if (rect)
            SDL_RenderFillRect(r_, rect);
        else
            SDL_RenderClear(r_);
    }

    void geometry(const CommandUnits& c, int first, int count) {
        const ImDrawList* list = c.list;
        const ImDrawCmd& cmd = *c.cmd;
        const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
        SDL_RenderGeometryRaw(
            r_, sdl_texture(cmd.GetTexID()), &v->pos.x, sizeof(ImDrawVert),
            reinterpret_cast<const SDL_Color*>(&v->col), sizeof(ImDrawVert), &v->uv.x,
            sizeof(ImDrawVert), list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset),
            list->IdxBuffer.Data + cmd.IdxOffset + first, count, sizeof(ImDrawIdx));
    }

    // Every pixel: paper, then every command (its units as plan() split them).
    void draw_all(ImDrawData* data, int width, int height) {
        (void)data, (void)width, (void)height;
        SDL_RenderSetViewport(r_, nullptr);
        SDL_RenderSetClipRect(r_, nullptr);
        clear_to_paper(nullptr);
        for (const CommandUnits& c : damage_.commands()) {
            if (c.clip.empty() || c.units.empty()) continue;
            SDL_Rect clip{c.clip.x0, c.clip.y0, c.clip.x1 - c.clip.x0, c.clip.y1 - c.clip.y0};
            SDL_RenderSetClipRect(r_, &clip);
            geometry(c, 0, static_cast<int>(c.cmd->ElemCount));
        }
        SDL_RenderSetClipRect(r_, nullptr);
    }

    // One damaged rectangle: paper, then the runs of units that reach into it.
    void draw_rect(const IRect& d) {
        SDL_Rect dr{d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0};
        SDL_RenderSetClipRect(r_, &dr);
        clear_to_paper(&dr);
        for (const CommandUnits& c : damage_.commands()) {
            const IRect k{std::max(c.clip.x0, d.x0), std::max(c.clip.y0, d.y0),
                          std::min(c.clip.x1, d.x1), std::min(c.clip.y1, d.y1)};
            if (k.empty()) continue;
            SDL_Rect clip{k.x0, k.y0, k.x1 - k.x0, k.y1 - k.y0};
            SDL_RenderSetClipRect(r_, &clip);
            int run_first = -1, run_end = 0;
            for (const DrawUnit& u : c.units) {
                const bool in =
                    (u.x1 >= static_cast<float>(k.x0) - 1 && u.x0 <= static_cast<float>(k.x1) + 1 &&
                     u.y1 >= static_cast<float>(k.y0) - 1 && u.y0 <= static_cast<float>(k.y1) + 1);
                if (in && run_first >= 0 && u.first == run_end) {
                    run_end = u.first + u.count;
                } else if (in) {
                    if (run_first >= 0) geometry(c, run_first, run_end - run_first);
                    run_first = u.first, run_end = u.first + u.count;
                }
            }
            if (run_first >= 0) geometry(c, run_first, run_end - run_first);
        }
        SDL_RenderSetClipRect(r_, nullptr);
    }

    // The scroll layer's pixels up by dy rows (down when negative), inside the layer.
    static void move_layer(SDL_Surface* s, const IRect& l, int dy) {
        const int bpp = s->format->BytesPerPixel;
        const int rows = (l.y1 - l.y0) - std::abs(dy);
        if (rows <= 0 || l.x1 > s->w || l.y1 > s->h) return;
        auto* base = static_cast<unsigned char*>(s->pixels);
        const size_t bytes = static_cast<size_t>(l.x1 - l.x0) * bpp;
        auto row = [&](int y) { return base + static_cast<ptrdiff_t>(y) * s->pitch + l.x0 * bpp; };
        if (dy > 0) {
            for (int y = l.y0; y < l.y0 + rows; ++y)
                std::memcpy(row(y), row(y + dy), bytes);
        } else {
            for (int y = l.y1 - 1; y >= l.y1 - rows; --y)
                std::memcpy(row(y), row(y + dy), bytes);
        }
    }

    // KIOSK_VERIFY_DAMAGE: the frame drawn again whole must give the same pixels.
    void verify(ImDrawData* data, int width, int height, SDL_Surface* s) {
        SDL_RenderFlush(r_);
        const int bpp = s->format->BytesPerPixel;
        std::vector<unsigned char> partial(static_cast<size_t>(s->pitch) * s->h);
        std::memcpy(partial.data(), s->pixels, partial.size());
        draw_all(data, width, height);
        SDL_RenderFlush(r_);
        long differ = 0;
        int bx0 = 1 << 30, by0 = 1 << 30, bx1 = -1, by1 = -1;
        const auto* full = static_cast<const unsigned char*>(s->pixels);
        for (int y = 0; y < std::min(height, s->h); ++y) {
            const size_t at = static_cast<size_t>(y) * s->pitch;
            const size_t n = static_cast<size_t>(std::min(width, s->w)) * bpp;
            if (std::memcmp(partial.data() + at, full + at, n) == 0) continue;
            for (size_t i = 0; i < n; i += bpp) {
                if (std::memcmp(partial.data() + at + i, full + at + i, 3) == 0) continue;
                ++differ;
                const int x = static_cast<int>(i) / bpp;
                bx0 = std::min(bx0, x), bx1 = std::max(bx1, x);
                by0 = std::min(by0, y), by1 = std::max(by1, y);
            }
        }
        ++verified_;
        if (differ > 0) {
            ++mismatched_;
            worst_pixels_ = std::max(worst_pixels_, differ);
            std::fprintf(stderr,
                         "kiosk: damage-verify: frame %ld: %ld pixels differ in %d,%d-%d,%d\n",
                         frames_, differ, bx0, by0, bx1, by1);
        }
    }

    SDL_Renderer* r_;
    SDL_Window* window_;
    SDL_Texture* font_texture_ = nullptr;
    FrameDamage damage_;
    ScrollHint hint_;
    SDL_Surface* last_surface_ = nullptr;
    bool force_full_ = true, full_redraw_ = false, verify_ = false;
    long rects_ = 0, damaged_px_ = 0;
    int width_ = 1, height_ = 1;
    long frames_ = 0, full_frames_ = 0, verified_ = 0, mismatched_ = 0, worst_pixels_ = 0;
};

}  // namespace

Result<std::unique_ptr<Renderer>> make_software_renderer(SDL_Window* window) {
    SDL_Renderer* r = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!r) return make_error("display", std::string("no software renderer: ") + SDL_GetError());
    return std::unique_ptr<Renderer>(std::make_unique<SoftwareRenderer>(r, window));
}

}  // namespace kiosk::app
