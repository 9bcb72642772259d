// Touch widgets: big buttons and tiles with a visible pressed state, and drag-to-scroll areas.
#pragma once

#include <imgui.h>

#include <string_view>

#include "text.hpp"
#include "theme.hpp"

namespace kiosk::ui {

enum class ButtonLook { plain, bar, accent };

// A filled rounded rectangle drawn as three axis-aligned bands and four small corner fans, instead
// of ImGui's single fan over the whole area: the same pixels, but the software renderer blits the
// bands (fast) and only rasterises the small corners as triangles (a home screen took 90 ms a
// frame as fans, 12 ms as bands).
void fill_rounded(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 color, float radius,
                  ImDrawFlags corners = ImDrawFlags_RoundCornersAll);

// A button at the cursor. Returns true when released over it without having scrolled.
bool button(const char* id, std::string_view label, ImVec2 size, const TextStyle& text,
            ButtonLook look = ButtonLook::plain);

// A large card: title, a line under it, and a small count at the corner.
bool tile(const char* id, std::string_view title, std::string_view subtitle,
          std::string_view corner, ImVec2 size, const TextStyle& title_style,
          const TextStyle& sub_style);

// A vertical drag-to-scroll area of `size` at the cursor: a finger drag scrolls with inertia and
// an elastic edge; a tap (no movement) still reaches the buttons inside. Returns the offset.
// `reset_key` changes when the area should start over at `initial_offset`.
float begin_scroll(const char* id, ImVec2 size, const Metrics& m, unsigned long long reset_key,
                   float initial_offset);
void end_scroll(const Metrics& m);

// A strip wider than the page (a wide table) that a finger drags sideways, with inertia and an
// elastic edge like the page, and a position bar along its bottom. A drag that starts more
// sideways than up or down moves the strip; otherwise the page. Returns how far the content is
// scrolled: draw it that much to the left. `size` includes 16 px (scaled) for the bar.
float begin_pan(const char* id, ImVec2 size, float content_w, const Metrics& m,
                unsigned long long reset_key);
void end_pan(const Metrics& m);

// Forgets all scroll areas (a new person, a new screen).
void reset_scroll_areas();

}  // namespace kiosk::ui
