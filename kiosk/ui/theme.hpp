// Sizes and colours of the kiosk, derived from the screen size: calm, high-contrast, finger-sized.
#pragma once

#include <imgui.h>

namespace kiosk::ui {

// Pixel sizes for the current screen. Designed at 1080 px on the short side and scaled from it,
// so 1920×1080 landscape and 1080×1920 portrait get the same physical sizes.
struct Metrics {
    float unit = 1;  // short side / 1080
    float width = 1920, height = 1080;
    bool portrait = false;
    float margin = 48;       // outer margin
    float gap = 24;          // between tiles and cards
    float bar_height = 128;  // the top bar with back, home, title, large text
    float button_row = 128;  // its row of buttons (the title has a second row in portrait)
    float touch = 96;        // smallest touch target (≥ 72 px at 1080p)
    float body_px = 48;      // font SizePixels for body text (≈ 33 px tall characters)
    float title_px = 62;
    float small_px = 38;
    float line_gap = 0.35f;  // extra space between lines, as a share of the font size
};

Metrics metrics_for(float width, float height, bool large_text);

// The palette: warm paper background, near-black text, one amber accent ("sunshine").
namespace color {
inline constexpr ImU32 background = IM_COL32(247, 245, 240, 255);
inline constexpr ImU32 surface = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 surface_pressed = IM_COL32(255, 236, 204, 255);
inline constexpr ImU32 text = IM_COL32(30, 30, 30, 255);
inline constexpr ImU32 text_muted = IM_COL32(92, 92, 92, 255);
inline constexpr ImU32 accent = IM_COL32(196, 98, 16, 255);
inline constexpr ImU32 accent_soft = IM_COL32(253, 239, 218, 255);
inline constexpr ImU32 bar = IM_COL32(168, 62, 20, 255);
inline constexpr ImU32 on_bar = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 border = IM_COL32(222, 216, 204, 255);
inline constexpr ImU32 link = IM_COL32(20, 84, 160, 255);
inline constexpr ImU32 banner = IM_COL32(255, 244, 214, 255);
inline constexpr ImU32 shadow = IM_COL32(0, 0, 0, 28);
}  // namespace color

}  // namespace kiosk::ui
