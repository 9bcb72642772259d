// The screens: each draws from the view and records actions; none reads files or the database.
#pragma once

#include "../frame.hpp"
#include "../text.hpp"

namespace kiosk::ui::screens {

// Styles for the current size (large text included).
TextStyle body(const View& v);
TextStyle title(const View& v);
TextStyle small(const View& v);

void no_content(const View& v, Actions& out);
void attract(const View& v, Actions& out);
void home(const View& v, Actions& out, ImVec2 size);
void category(const View& v, Actions& out, ImVec2 size);
void document(const View& v, Actions& out, ImVec2 size);
void search(const View& v, Actions& out, ImVec2 size);
void report(const View& v, Actions& out, ImVec2 size);
void rating(const View& v, Actions& out, ImVec2 size);
void consult(const View& v, Actions& out, ImVec2 size);
void receipt(const View& v, Actions& out, ImVec2 size);
void closed(const View& v, Actions& out, ImVec2 size);
void lookup(const View& v, Actions& out, ImVec2 size);
void no_font(const View& v, Actions& out);
void maintenance_pin(const View& v, Actions& out);
void maintenance(const View& v, Actions& out);
// The hidden gesture (maintenance_state.hpp), for the screen-wide start button of the attract and
// no-content screens: call right after it with what it returned. True: the release belonged to
// the gesture, so it must not start a visit.
bool maintenance_gesture(const View& v, Actions& out, bool released);

}  // namespace kiosk::ui::screens
