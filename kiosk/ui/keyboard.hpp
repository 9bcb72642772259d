// The on-screen keyboard and candidate bar: large keys, four modes (拼音, 手写, ABC, 123).
#pragma once

#include <imgui.h>

#include "app_state.hpp"
#include "input_controller.hpp"
#include "text.hpp"
#include "theme.hpp"

namespace kiosk::ui {

// Height the keyboard and candidate bar need at this size.
float keyboard_height(const Metrics& m);

// Draws the candidate bar and keys (or the handwriting pad) in the rectangle starting at the
// cursor, `width` wide; records Key / PickCandidate / CandidatePage / Pad* actions. `digits_only`
// leaves only the number pad (phone numbers, receipt codes; `with_x` adds the X of ID numbers).
void draw_keyboard(const KeyboardState& kb, const ImeView& ime, const Metrics& m,
                   const TextStyle& key_text, float width, Actions& out, bool digits_only = false,
                   bool with_x = false);

}  // namespace kiosk::ui
