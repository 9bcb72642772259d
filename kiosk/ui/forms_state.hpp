// The forms' state rules that apply() uses: editing a field at its caret, which field a step types
// into, moving between steps. Internal to kiosk_ui (screens use app_state.hpp).
#pragma once

#include <string>

#include "app_state.hpp"

namespace kiosk::ui {

// The start of the UTF-8 character holding byte `offset` (offsets past the end give the end).
size_t char_start(const std::string& s, size_t offset);
// Inserts at the caret without passing `limit` characters; a character that does not fit is
// refused whole (the counter shows why), and so are invalid UTF-8, control characters and
// characters outside the Basic Multilingual Plane (emoji). Returns whether anything was inserted.
bool insert_text(TextField& f, const std::string& text, size_t limit);
TextField& field(AppState& s, Field f);

// A key of the on-screen keyboard typed into the search text, or into the focused form field.
void edit_search(SearchState& q, const std::string& key, InputMode mode);
void edit_field(AppState& s, const std::string& key);
void set_mode(AppState& s, const std::string& key);

// The keyboard follows the step: the field a wizard step types into gets the focus.
void focus_for_step(AppState& s);
// The current wizard's step number, or nullptr outside a wizard.
int* step_of(AppState& s);
// +1: next, when the step is complete (else its problem is set); -1: back.
void step(AppState& s, int delta);
// Every form field overwritten, then the forms reset.
void wipe(Forms& f);

}  // namespace kiosk::ui
