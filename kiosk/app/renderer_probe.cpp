// The renderer probe: the same window flags and renderer constructors as the kiosk itself, so a
// probe that passes means the kiosk can draw here.
#include "renderer_probe.hpp"

#include <imgui.h>

#include <cstdio>

#include "renderer.hpp"

namespace kiosk::app {

int probe_renderer(const config::Config& cfg) {
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        std::printf("cannot open the display: %s\n", SDL_GetError());
        return 3;
    }
    const config::Renderer kind = resolve_renderer(cfg.renderer);
    const Uint32 flags = prepare_window(kind) | SDL_WINDOW_HIDDEN;
    SDL_Window* window = SDL_CreateWindow("kiosk probe", 0, 0, 64, 64, flags);
    int rc = 3;
    if (!window) {
        std::printf("cannot create a window: %s\n", SDL_GetError());
    } else {
        ImGui::CreateContext();
        auto made = kind == config::Renderer::opengl ? make_gl_renderer(window, false)
                                                     : make_software_renderer(window);
        SDL_DisplayMode mode{};
        SDL_GetDesktopDisplayMode(0, &mode);
        if (made) {
            std::printf("%s on %s (%dx%d display)\n", (*made)->name(), SDL_GetCurrentVideoDriver(),
                        mode.w, mode.h);
            rc = 0;
        } else {
            std::printf("the %s renderer does not start: %s\n",
                        kind == config::Renderer::opengl ? "opengl" : "software",
                        made.error().message.c_str());
        }
        if (made) made->reset();  // the renderer goes before the context
        ImGui::DestroyContext();
        SDL_DestroyWindow(window);
    }
    SDL_Quit();
    return rc;
}

}  // namespace kiosk::app
