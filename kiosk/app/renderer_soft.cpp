// The software renderer: SDL's 2-D renderer without a GPU. ImGui's triangles go through
// SDL_RenderGeometryRaw, which draws the axis-aligned quads that make up nearly all of the
// kiosk's frame (glyphs, cards, bars) as fast blits and only the rest as triangles.
#include "renderer.hpp"

namespace kiosk::app {

namespace {

SDL_Texture* sdl_texture(ImTextureID t) {
    return static_cast<SDL_Texture*>(t);
}

class SoftwareRenderer final : public Renderer {
public:
    explicit SoftwareRenderer(SDL_Renderer* r) : r_(r) {
        ImGuiIO& io = ImGui::GetIO();
        io.BackendRendererName = "kiosk-software";
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // meshes over 64K vertices
        io.Fonts->Clear();  // the context's own atlas stays empty: ours come from the worker
    }
    ~SoftwareRenderer() override {
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
    }

    void update_font_atlas(const ui::AtlasUpload& up, bool) override {
        if (!font_texture_) return;
        std::vector<Uint32> argb(up.alpha.size());
        for (size_t i = 0; i < argb.size(); ++i)
            argb[i] = (static_cast<Uint32>(up.alpha[i]) << 24) | 0x00FFFFFFu;
        const SDL_Rect r{up.x, up.y, up.w, up.h};
        SDL_UpdateTexture(font_texture_, &r, argb.data(), up.w * 4);
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

    void free_image(ImTextureID texture) override { SDL_DestroyTexture(sdl_texture(texture)); }

    void new_frame() override {}

    void draw(ImDrawData* data, int width, int height) override {
        SDL_RenderSetViewport(r_, nullptr);
        SDL_RenderSetClipRect(r_, nullptr);
        SDL_SetRenderDrawColor(r_, 247, 245, 240, 255);
        SDL_RenderClear(r_);
        const ImVec2 off = data->DisplayPos;
        for (int n = 0; n < data->CmdListsCount; ++n) {
            const ImDrawList* list = data->CmdLists[n];
            const ImDrawVert* vtx = list->VtxBuffer.Data;
            const ImDrawIdx* idx = list->IdxBuffer.Data;
            for (const ImDrawCmd& cmd : list->CmdBuffer) {
                if (cmd.UserCallback) {
                    if (cmd.UserCallback != ImDrawCallback_ResetRenderState)
                        cmd.UserCallback(list, &cmd);
                    continue;
                }
                const float x0 = std::max(0.f, cmd.ClipRect.x - off.x);
                const float y0 = std::max(0.f, cmd.ClipRect.y - off.y);
                const float x1 = std::min(static_cast<float>(width), cmd.ClipRect.z - off.x);
                const float y1 = std::min(static_cast<float>(height), cmd.ClipRect.w - off.y);
                if (x1 <= x0 || y1 <= y0) continue;
                SDL_Rect clip{static_cast<int>(x0), static_cast<int>(y0), static_cast<int>(x1 - x0),
                              static_cast<int>(y1 - y0)};
                SDL_RenderSetClipRect(r_, &clip);
                const ImDrawVert* v = vtx + cmd.VtxOffset;
                SDL_RenderGeometryRaw(
                    r_, sdl_texture(cmd.GetTexID()), &v->pos.x, sizeof(ImDrawVert),
                    reinterpret_cast<const SDL_Color*>(&v->col), sizeof(ImDrawVert), &v->uv.x,
                    sizeof(ImDrawVert), list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset),
                    idx + cmd.IdxOffset, static_cast<int>(cmd.ElemCount), sizeof(ImDrawIdx));
            }
        }
        SDL_RenderSetClipRect(r_, nullptr);
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
    SDL_Renderer* r_;
    SDL_Texture* font_texture_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Renderer>> make_software_renderer(SDL_Window* window) {
    SDL_Renderer* r = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!r) return make_error("display", std::string("no software renderer: ") + SDL_GetError());
    return std::unique_ptr<Renderer>(std::make_unique<SoftwareRenderer>(r));
}

}  // namespace kiosk::app
