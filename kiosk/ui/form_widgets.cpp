// Form pieces: cards, chips, a caret text box and the step row, all finger-sized (≥ touch px).
#include "form_widgets.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "keyboard.hpp"
#include "probe.hpp"
#include "screens/screens.hpp"
#include "submit/validate.hpp"
#include "widgets.hpp"

namespace kiosk::ui::forms {

Column column(const View& v, ImVec2 size, float max_w) {
    Column c;
    c.origin = ImGui::GetCursorScreenPos();
    c.w = std::min(size.x - 2 * v.m.margin, max_w * v.m.unit);
    c.x = c.origin.x + (size.x - c.w) / 2;
    return c;
}

void step_header(const View& v, int step, int steps, std::string_view question, float x, float w) {
    const Metrics& m = v.m;
    ImVec2 at(x, ImGui::GetCursorScreenPos().y + m.gap * 0.6f);
    TextStyle s = screens::small(v);
    s.color = color::accent;
    std::string counter =
        "第 " + std::to_string(step + 1) + " 步，共 " + std::to_string(steps) + " 步";
    TextStyle t = screens::title(v);
    t.px = std::min(t.px, m.body_px * 1.15f);
    if (m.portrait) {
        draw_line_clipped(counter, s, at, w);
        ImGui::SetCursorScreenPos(ImVec2(x, at.y + s.px * 1.4f));
        draw_wrapped(question, t, w);
    } else {
        // One line in landscape, where the keyboard leaves little height: the question, and the
        // step counter at the right end.
        const float cw = text_width(counter, s);
        draw_line_clipped(counter, s, ImVec2(x + w - cw, at.y + (t.px - s.px) * 0.6f), cw + 2);
        ImGui::SetCursorScreenPos(at);
        draw_wrapped(question, t, w - cw - m.gap);
    }
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap * 0.3f));
}

float choice_card_height(const View& v, std::string_view detail, float w) {
    const Metrics& m = v.m;
    const float pad = m.gap * 0.8f, mark = m.touch * 0.5f;
    float h = pad * 2 + line_height(screens::body(v));
    if (!detail.empty()) h += wrapped_height(detail, screens::small(v), w - 2 * pad - mark - m.gap);
    return std::max(h, m.touch);
}

bool choice_card(const View& v, const char* id, std::string_view title, std::string_view detail,
                 bool chosen, float x, float w) {
    const Metrics& m = v.m;
    TextStyle t = screens::body(v);
    TextStyle d = screens::small(v);
    d.color = color::text_muted;
    const float pad = m.gap * 0.8f, mark = m.touch * 0.5f;
    const float inner = w - 2 * pad - mark - m.gap;
    const float h = choice_card_height(v, detail, w);
    ImVec2 min(x, ImGui::GetCursorScreenPos().y);
    ImGui::SetCursorScreenPos(min);
    bool released = ImGui::InvisibleButton(id, ImVec2(w, h));
    bool held = ImGui::IsItemActive() && !probe().dragging;
    ImVec2 max(x + w, min.y + h);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = 16 * m.unit;
    fill_rounded(dl, min, max,
                 held     ? color::surface_pressed
                 : chosen ? color::accent_soft
                          : color::surface,
                 r);
    dl->AddRect(min, max, chosen ? color::accent : color::border, r, 0,
                (chosen ? 4.f : 2.f) * m.unit);
    // The mark: an empty ring, or a filled one with a tick when chosen.
    ImVec2 c(min.x + pad + mark / 2, min.y + pad + line_height(t) / 2);
    dl->AddCircle(c, mark / 2, chosen ? color::accent : color::border, 24, 3 * m.unit);
    if (chosen) {
        dl->AddCircleFilled(c, mark / 2 - 5 * m.unit, color::accent, 24);
        dl->AddLine(ImVec2(c.x - mark * 0.2f, c.y), ImVec2(c.x - mark * 0.04f, c.y + mark * 0.18f),
                    color::on_bar, 4 * m.unit);
        dl->AddLine(ImVec2(c.x - mark * 0.04f, c.y + mark * 0.18f),
                    ImVec2(c.x + mark * 0.24f, c.y - mark * 0.16f), color::on_bar, 4 * m.unit);
    }
    const float tx = min.x + pad + mark + m.gap;
    draw_line_clipped(title, t, ImVec2(tx, min.y + pad), inner);
    if (!detail.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(tx, min.y + pad + line_height(t)));
        draw_wrapped(detail, d, inner);
    }
    probe().add_target(title, min, max);
    ImGui::SetCursorScreenPos(ImVec2(x, max.y + m.gap * 0.6f));
    return released && !probe().dragging;
}

float chip_width(const View& v, std::string_view label) {
    TextStyle t = screens::body(v);
    return std::max(v.m.touch * 1.6f, text_width(label, t) + t.px * 1.6f);
}

bool chip(const View& v, const char* id, std::string_view label, bool chosen, ImVec2 pos,
          float* width_out) {
    const Metrics& m = v.m;
    TextStyle t = screens::body(v);
    const float w = chip_width(v, label);
    if (width_out) *width_out = w;
    ImGui::SetCursorScreenPos(pos);
    bool released = ImGui::InvisibleButton(id, ImVec2(w, m.touch));
    bool held = ImGui::IsItemActive() && !probe().dragging;
    ImVec2 max(pos.x + w, pos.y + m.touch);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = m.touch / 2;
    fill_rounded(dl, pos, max,
                 held     ? color::surface_pressed
                 : chosen ? color::accent
                          : color::surface,
                 r);
    if (!chosen) dl->AddRect(pos, max, color::border, r, 0, 2 * m.unit);
    t.color = chosen ? color::on_bar : color::text;
    float tw = text_width(label, t);
    draw_line_clipped(label, t, ImVec2(pos.x + (w - tw) / 2, pos.y + (m.touch - t.px * 1.2f) / 2),
                      w);
    probe().add_target(label, pos, max);
    return released && !probe().dragging;
}

void text_box(const View& v, Field field, std::string_view placeholder, ImVec2 size, bool counter,
              Actions& out) {
    const Metrics& m = v.m;
    const std::string& text = field_text(v.state, field);
    const bool focused = v.state.keyboard.field == field;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = 14 * m.unit;
    fill_rounded(dl, min, max, color::surface, r);
    dl->AddRect(min, max, focused ? color::accent : color::border, r, 0,
                (focused ? 3.f : 2.f) * m.unit);
    TextStyle b = screens::body(v);
    const float pad = b.px * 0.4f;
    const float tw = size.x - 2 * pad - 12 * m.unit;  // room for the scroll bar
    const auto& fields = v.state.forms.fields;
    const TextField& tf = fields[static_cast<size_t>(field)];
    const size_t caret = std::min(tf.caret, text.size());
    // The box scrolls by finger; on each edit it starts over with the caret in view.
    const ImVec2 spot = caret_spot(text, b, tw, caret);
    const float initial = std::max(0.f, spot.y + line_height(b) - (size.y - 2 * pad));
    ImGui::SetCursorScreenPos(ImVec2(min.x + pad, min.y + pad));
    std::string id = "##box-" + std::to_string(static_cast<int>(field));
    begin_scroll(id.c_str(), ImVec2(size.x - pad, size.y - 2 * pad), m,
                 tf.edits * 64 + static_cast<unsigned>(field), initial);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float content_h = std::max(size.y - 2 * pad, wrapped_height(text, b, tw) + b.px);
    ImGui::InvisibleButton((id + "-tap").c_str(), ImVec2(tw, content_h));
    const bool tapped = ImGui::IsItemDeactivated() && !probe().dragging;
    ImGui::SetCursorScreenPos(origin);
    if (text.empty()) {
        TextStyle hint = b;
        hint.color = color::text_muted;
        draw_wrapped(placeholder, hint, tw);
    } else {
        draw_wrapped(text, b, tw);
    }
    if (focused) {  // a steady caret: a blinking one would redraw the screen twice a second
        ImVec2 c(origin.x + spot.x + 1, origin.y + spot.y);
        ImGui::GetWindowDrawList()->AddLine(c, ImVec2(c.x, c.y + b.px * 1.2f), color::accent,
                                            3 * m.unit);
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + content_h));
    end_scroll(m);
    if (tapped) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        out.push_back(
            Focus{field, offset_at(text, b, tw, ImVec2(mouse.x - origin.x, mouse.y - origin.y))});
    }
    probe().add_target(placeholder, min, max);
    if (counter) {
        TextStyle s = screens::small(v);
        const size_t n = submit::count_chars(text), limit = max_chars(field);
        s.color = n >= limit ? color::accent : color::text_muted;
        std::string c = std::to_string(n) + " / " + std::to_string(limit) + " 字";
        if (n >= limit) c = "已达上限 " + c;
        float cw = text_width(c, s);
        draw_line_clipped(c, s, ImVec2(max.x - cw, max.y + 4 * m.unit), cw + 2);
    }
    ImGui::SetCursorScreenPos(ImVec2(min.x, max.y + (counter ? screens::small(v).px * 1.3f : 0)));
}

namespace {
// The step's problem, in words, up to three lines across `w`; 0 when there is none.
float problem_height(const View& v, float w) {
    const std::string& problem = v.state.forms.problem;
    if (problem.empty()) return 0;
    TextStyle p = screens::small(v);
    return std::min(wrapped_height(problem, p, w), 3 * line_height(p)) + v.m.gap * 0.4f;
}

void draw_problem(const View& v, ImVec2 at, float w) {
    if (v.state.forms.problem.empty()) return;
    TextStyle p = screens::small(v);
    p.color = color::accent;
    draw_wrapped_at(v.state.forms.problem, p, at, w, 3);
}
}  // namespace

float step_nav_height(const View& v, float w) {
    return v.m.touch + v.m.gap + problem_height(v, w);
}

void step_nav(const View& v, float x, float y, float w, bool first, std::string_view next_label,
              Actions& out, const Action* next) {
    const Metrics& m = v.m;
    TextStyle b = screens::body(v);
    const float bw = std::min(w * 0.3f, 420 * m.unit);
    draw_problem(v, ImVec2(x, y), w);
    y += problem_height(v, w);
    if (!first) {
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        if (button("##prev-step", "上一步", ImVec2(bw, m.touch), b)) out.push_back(Step{-1});
    }
    ImGui::SetCursorScreenPos(ImVec2(x + w - bw, y));
    TextStyle bt = b;
    bt.color = color::on_bar;
    if (button("##next-step", next_label, ImVec2(bw, m.touch), bt, ButtonLook::accent))
        out.push_back(next ? *next : Action{Step{+1}});
}

namespace {
float side_button_w(const View& v, float w) {
    return std::min(w * 0.24f, 380 * v.m.unit);
}
}  // namespace

TypingArea typing_area(const View& v, ImVec2 origin, ImVec2 size, float x, float w, float top) {
    const float kb_top = keyboard_top(v, origin, size);
    if (v.m.portrait) return {x, top, w, kb_top - step_nav_height(v, w) - top - v.m.gap * 0.3f};
    const float aw = w - side_button_w(v, w) - v.m.gap;
    return {x, top, aw, kb_top - top - v.m.gap - problem_height(v, aw)};
}

void typing_nav(const View& v, ImVec2 origin, ImVec2 size, float x, float w, float top, bool first,
                std::string_view next_label, Actions& out, const Action* next) {
    const Metrics& m = v.m;
    const float kb_top = keyboard_top(v, origin, size);
    if (m.portrait) {
        step_nav(v, x, kb_top - step_nav_height(v, w), w, first, next_label, out, next);
        return;
    }
    const float bw = side_button_w(v, w), bx = x + w - bw;
    TextStyle b = screens::body(v);
    TextStyle bt = b;
    bt.color = color::on_bar;
    ImGui::SetCursorScreenPos(ImVec2(bx, top));
    if (button("##next-step", next_label, ImVec2(bw, m.touch), bt, ButtonLook::accent))
        out.push_back(next ? *next : Action{Step{+1}});
    if (!first) {
        ImGui::SetCursorScreenPos(ImVec2(bx, top + m.touch + m.gap * 0.5f));
        if (button("##prev-step", "上一步", ImVec2(bw, m.touch), b)) out.push_back(Step{-1});
    }
    // The problem goes under the text, across its width (the side column is too narrow).
    const TypingArea area = typing_area(v, origin, size, x, w, top);
    draw_problem(v, ImVec2(area.x, area.y + area.h + m.gap * 0.2f), area.w);
}

float keyboard_top(const View& v, ImVec2 origin, ImVec2 size) {
    return origin.y + size.y - keyboard_height(v.m);
}

void keyboard_for_field(const View& v, ImVec2 origin, ImVec2 size, float x, float w, Actions& out) {
    ImGui::SetCursorScreenPos(ImVec2(x, keyboard_top(v, origin, size)));
    TextStyle k = screens::body(v);
    k.px = std::min(k.px, v.m.touch * 0.5f);
    const Field f = v.state.keyboard.field;
    draw_keyboard(v.state.keyboard, v.ime, v.m, k, w, out, digits_only(f), f == Field::report_id);
}

}  // namespace kiosk::ui::forms
