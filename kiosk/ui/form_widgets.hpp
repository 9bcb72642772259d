// Pieces the report, rating and consultation screens share: the step header, selectable cards and
// chips, a text box with a caret and a counter, and the row of 上一步 / 下一步 with the problem.
#pragma once

#include <string_view>

#include "frame.hpp"
#include "text.hpp"

namespace kiosk::ui::forms {

// The centred column the form screens draw in, at most `max_w` design pixels wide.
struct Column {
    ImVec2 origin;  // the screen area's top left
    float x, w;     // the column's left edge and width
};
Column column(const View& v, ImVec2 size, float max_w = 1500);

// "第 2 步，共 6 步" above the question, at the cursor; moves the cursor below.
void step_header(const View& v, int step, int steps, std::string_view question, float x, float w);

// A card that can be chosen: a title, an explanation under it, a mark when chosen. Height from
// its text. Returns true when tapped.
bool choice_card(const View& v, const char* id, std::string_view title, std::string_view detail,
                 bool chosen, float x, float w);

float choice_card_height(const View& v, std::string_view detail, float w);

// A short selectable word (a reason, a time); width from its text. Returns true when tapped.
bool chip(const View& v, const char* id, std::string_view label, bool chosen, ImVec2 pos,
          float* width_out = nullptr);
float chip_width(const View& v, std::string_view label);

// The text of `field` in a box of `size` at the cursor, wrapped by our rules, with the caret when
// it is the keyboard's field. A tap focuses it and puts the caret where the finger is; long text
// scrolls inside the box. With `counter`, "123 / 2000 字" shows under the box's right edge.
void text_box(const View& v, Field field, std::string_view placeholder, ImVec2 size, bool counter,
              Actions& out);

// The bottom row: 上一步 (not on the first step), the step's problem in words, and `next_label`
// recording `next` (or Step{+1} when none is given).
void step_nav(const View& v, float x, float y, float w, bool first, std::string_view next_label,
              Actions& out, const Action* next = nullptr);
float step_nav_height(const View& v, float w);

// A typing step: the room left for its text box(es) between `top` and the keyboard, and its step
// buttons, beside that room in landscape (the keyboard leaves little height) or below it.
struct TypingArea {
    float x, y, w, h;
};
TypingArea typing_area(const View& v, ImVec2 origin, ImVec2 size, float x, float w, float top);
void typing_nav(const View& v, ImVec2 origin, ImVec2 size, float x, float w, float top, bool first,
                std::string_view next_label, Actions& out, const Action* next = nullptr);

// Height of the area above the keyboard on a typing step.
float keyboard_top(const View& v, ImVec2 origin, ImVec2 size);

// The on-screen keyboard for the focused field, at the bottom of the area.
void keyboard_for_field(const View& v, ImVec2 origin, ImVec2 size, float x, float w, Actions& out);

}  // namespace kiosk::ui::forms
