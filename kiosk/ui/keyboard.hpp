// The on-screen keyboard and candidate bar: large keys, three modes (拼音, ABC, 123).
#pragma once

#include <imgui.h>

#include "app_state.hpp"
#include "input_controller.hpp"
#include "text.hpp"
#include "theme.hpp"

namespace kiosk::ui {

// Height the keyboard and candidate bar need at this size.
float keyboard_height(const Metrics& m);

// Draws the candidate bar and keys in the rectangle starting at the cursor, `width` wide;
// records Key / PickCandidate / CandidatePage actions.
void draw_keyboard(const SearchState& search, const ImeView& ime, const Metrics& m,
                   const TextStyle& key_text, float width, Actions& out);

}  // namespace kiosk::ui
