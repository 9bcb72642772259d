// How frames reach the glass. Two renderers behind one interface:
//  - OpenGL 3, for a terminal with a GPU;
//  - SDL's 2-D software renderer, for one without: Mesa would otherwise emulate a GPU with LLVM
//    on the CPU, which costs the kiosk about 40 MB and 150 ms at every start for nothing a
//    flat touch UI needs.
// The ImGui context must exist before a renderer is made and outlive it.
#pragma once

#include <SDL.h>
#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ui/fonts.hpp"
#include "util/result.hpp"

namespace kiosk::app {

class Renderer {
public:
    virtual ~Renderer() = default;
    virtual const char* name() const = 0;
    // Uploads the atlas's pixels as the font texture (replacing the previous one), sets its
    // TexID and frees its CPU copy.
    virtual void upload_font_atlas(ImFontAtlas& atlas) = 0;
    // Replaces a rectangle of the font texture (a glyph the cache rasterised). `texels_reused`:
    // the rectangle held another glyph in an earlier frame.
    virtual void update_font_atlas(const ui::AtlasUpload& up, bool texels_reused) = 0;
    // An RGBA image as a texture; nullptr when it cannot be made.
    virtual ImTextureID upload_image(const unsigned char* rgba, int w, int h) = 0;
    virtual void free_image(ImTextureID texture) = 0;
    virtual void new_frame() = 0;  // before ImGui::NewFrame()
    // The frame about to be drawn has a vertical scroll area (draw commands clipped to exactly
    // `clip`) whose content is scrolled by `offset` whole pixels; valid false: none.
    virtual void hint_scroll_layer(const ImVec4& clip, float offset, bool valid) {
        (void)clip, (void)offset, (void)valid;
    }
    // "" when all is well; else what went wrong, for a replay to fail on (KIOSK_VERIFY_DAMAGE).
    virtual std::string self_check() const { return ""; }
    // Clears to the background and draws ImGui's draw data (not yet shown).
    virtual void draw(ImDrawData* data, int width, int height) = 0;
    virtual void present() = 0;
    // Waits until the drawing is done (both renderers queue it): for timing only.
    virtual void finish() = 0;
    // The frame just drawn (before present), as RGB rows from the top.
    virtual Result<std::vector<unsigned char>> read_rgb(int width, int height) = 0;
};

// "auto" is OpenGL when the machine has a GPU render node (/dev/dri/renderD*) this user may open,
// else software.
config::Renderer resolve_renderer(config::Renderer wanted);

// Sets what SDL needs to know before the window is made; returns the window flags to add.
Uint32 prepare_window(config::Renderer kind);

// vsync: wait for the display's refresh when presenting (not in replays).
Result<std::unique_ptr<Renderer>> make_gl_renderer(SDL_Window* window, bool vsync);
// Keeps the last frame's pixels and draws only what changed (KIOSK_FULL_REDRAW=1: every pixel,
// every frame; KIOSK_VERIFY_DAMAGE=1: both, compared, for tests).
Result<std::unique_ptr<Renderer>> make_software_renderer(SDL_Window* window);

}  // namespace kiosk::app
