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

// Forgets all scroll areas (a new person, a new screen).
void reset_scroll_areas();

}  // namespace kiosk::ui
