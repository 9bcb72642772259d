// SDL 2.26's Wayland driver has no window framebuffer (no CreateWindowFramebuffer): its software
// renderer can only reach the screen through an OpenGL texture, which on a machine without a GPU
// is Mesa's llvmpipe (the emulation the software renderer exists to avoid); with that disabled,
// SDL_CreateRenderer fails with "Couldn't find matching render driver" (libsdl-org/SDL#7532).
// X11 has one (MIT-SHM), and cage runs Xwayland, so the software renderer goes through X11 there.
#include "video_driver.hpp"

#include <SDL.h>

#include <cstdio>
#include <cstdlib>

namespace kiosk::app {

void choose_video_driver(config::Renderer kind) {
    if (kind != config::Renderer::software || std::getenv("SDL_VIDEODRIVER") ||
        !std::getenv("WAYLAND_DISPLAY"))
        return;
    if (std::getenv("DISPLAY")) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
        std::fprintf(stderr, "kiosk: software renderer under Wayland: drawing through Xwayland\n");
        return;
    }
    // No Xwayland: the window's pixels go through OpenGL after all (slower, but it draws).
    SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "1", SDL_HINT_OVERRIDE);
    std::fprintf(stderr, "kiosk: software renderer under Wayland without Xwayland: the window "
                         "is shown through OpenGL\n");
}

}  // namespace kiosk::app
