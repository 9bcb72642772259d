// One frame of the kiosk UI: the top bar, the current screen, banners and the idle countdown.
#pragma once

#include <functional>
#include <string>

#include "app_state.hpp"
#include "fonts.hpp"
#include "input_controller.hpp"
#include "library.hpp"
#include "theme.hpp"

namespace kiosk::ui {

// A decoded bundle image the platform has uploaded; `ok` is false when it is missing or broken.
struct ImageRef {
    bool ok = false;
    ImTextureID texture = nullptr;
    float width = 0, height = 0;
};
using ImageSource = std::function<ImageRef(const std::string& asset_name)>;

struct View {
    const AppState& state;
    const Library& lib;
    const Fonts& fonts;
    const Metrics& m;
    double time_s;  // seconds since start, for the attract loop
    const ImeView& ime;
    ImageSource image;  // may be empty (headless): images then show as their caption
};

// Draws the whole screen into a fullscreen ImGui window; records what the person did.
void draw_frame(const View& view, Actions& actions);

}  // namespace kiosk::ui
