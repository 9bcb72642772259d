// Which SDL video driver the kiosk asks for: under a Wayland compositor (cage) without a GPU,
// X11 through Xwayland, because SDL 2's Wayland driver has no window framebuffer.
#pragma once

#include "config/config.hpp"

namespace kiosk::app {

// Before SDL_Init. Leaves SDL_VIDEODRIVER alone when the environment sets it.
void choose_video_driver(config::Renderer kind);

}  // namespace kiosk::app
