// One frame of the kiosk UI: the top bar, the current screen, banners and the idle countdown.
#pragma once

#include "app_state.hpp"
#include "fonts.hpp"
#include "input_controller.hpp"
#include "library.hpp"
#include "theme.hpp"

namespace kiosk::ui {

struct View {
    const AppState& state;
    const Library& lib;
    const Fonts& fonts;
    const Metrics& m;
    double time_s;  // seconds since start, for the attract loop
    const ImeView& ime;
};

// Draws the whole screen into a fullscreen ImGui window; records what the person did.
void draw_frame(const View& view, Actions& actions);

}  // namespace kiosk::ui
