// Derives pixel sizes from the screen size and the large-text switch.
#include "theme.hpp"

#include <algorithm>

namespace kiosk::ui {

Metrics metrics_for(float width, float height, bool large_text) {
    Metrics m;
    m.width = width;
    m.height = height;
    m.portrait = height > width;
    m.unit = std::max(0.4f, std::min(width, height) / 1080.0f);
    const float u = m.unit;
    const float text_scale = large_text ? 1.3f : 1.0f;
    m.margin = 48 * u;
    m.gap = 24 * u;
    // Portrait: the buttons take the whole width of the bar's first row, so the title that says
    // where you are gets a row of its own (on a 1080-wide screen it had room for two characters).
    m.button_row = 128 * u;
    m.bar_height = (m.portrait ? 128 + 92 : 128) * u;
    m.touch = std::max(72.0f, 96 * u);  // a finger does not shrink with the screen
    m.body_px = 48 * u * text_scale;
    m.title_px = 62 * u * text_scale;
    m.small_px = 38 * u * text_scale;
    return m;
}

}  // namespace kiosk::ui
