// 服务评价: township → office → window → how satisfied (five faces with words) → for the lower
// three, what was wrong (chips) and an optional comment.
#include <algorithm>
#include <cmath>
#include <string>

#include "../form_widgets.hpp"
#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

namespace {

struct Level {
    int level;
    const char* words;
    ImU32 color;
};
const Level kLevels[] = {{5, "非常满意", IM_COL32(46, 125, 50, 255)},
                         {4, "满意", IM_COL32(104, 159, 56, 255)},
                         {3, "基本满意", IM_COL32(196, 140, 16, 255)},
                         {2, "不满意", IM_COL32(216, 96, 24, 255)},
                         {1, "非常不满意", IM_COL32(190, 40, 30, 255)}};

struct Reason {
    const char* id;
    const char* words;
};
const Reason kReasons[] = {{"attitude", "态度"},
                           {"efficiency", "效率"},
                           {"fees", "收费"},
                           {"openness", "公开"},
                           {"other", "其他"}};

// A face whose mouth bends from a smile (level 5) to a frown (level 1).
void face(ImDrawList* dl, ImVec2 c, float r, int level, ImU32 col, float unit) {
    dl->AddCircleFilled(c, r, col, 48);
    const ImU32 ink = IM_COL32(255, 255, 255, 255);
    dl->AddCircleFilled(ImVec2(c.x - r * 0.35f, c.y - r * 0.22f), r * 0.1f, ink, 16);
    dl->AddCircleFilled(ImVec2(c.x + r * 0.35f, c.y - r * 0.22f), r * 0.1f, ink, 16);
    const float bend = (static_cast<float>(level) - 3) * 0.18f;  // + smile, - frown
    const float y = c.y + r * 0.32f;
    ImVec2 a(c.x - r * 0.42f, y - bend * r * 0.5f), b(c.x + r * 0.42f, y - bend * r * 0.5f);
    ImVec2 mid(c.x, y + bend * r * 0.9f);
    dl->AddBezierQuadratic(a, mid, b, ink, 5 * unit, 16);
}

void pick_list(const View& v, const char* id,
               const std::vector<const store::RatingTargetInfo*>& items, const std::string& chosen,
               float x, float w, Actions& out, int kind) {
    for (const auto* t : items) {
        std::string key = std::string(id) + t->id;
        if (forms::choice_card(v, key.c_str(), t->name, "", chosen == t->id, x, w)) {
            if (kind == 0) out.push_back(PickTownship{t->id});
            if (kind == 1) out.push_back(PickOffice{t->id});
            if (kind == 2) out.push_back(PickWindow{t->id});
            out.push_back(Step{+1});
        }
    }
}

}  // namespace

void rating(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const Forms& fm = v.state.forms;
    const auto [origin, x, w] = forms::column(v, size);
    const int step = fm.rating_step, steps = rating_steps(v.state);
    const float nav_y = origin.y + size.y - forms::step_nav_height(v, w);
    const bool last = step == steps - 1;
    const Action submit = Submit{submit::Kind::rating};
    const Action* next = last && step_problem(v.state).empty() ? &submit : nullptr;
    const char* next_label = last ? "提交评价" : "下一步";

    if (step <= 2) {
        static const char* const questions[] = {"您在哪里办的事？", "在哪个单位办的事？",
                                                "在哪个窗口办的事？"};
        ImGui::SetCursorScreenPos(ImVec2(x, origin.y));
        forms::step_header(v, step, steps, questions[step], x, w);
        const float top = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(origin.x, top));
        begin_scroll("##rating-list", ImVec2(size.x, nav_y - top - m.gap * 0.5f), m,
                     v.state.generation, 0);
        ImGui::Dummy(ImVec2(1, m.gap * 0.3f));
        if (step == 0)
            pick_list(v, "##t-", v.lib.targets_under("", "township"), fm.township, x, w, out, 0);
        if (step == 1)
            pick_list(v, "##o-", v.lib.targets_under(fm.township, "office"), fm.office, x, w, out,
                      1);
        if (step == 2)
            pick_list(v, "##w-", v.lib.targets_under(fm.office, "window"), fm.window, x, w, out, 2);
        end_scroll(m);
        forms::step_nav(v, x, nav_y, w, step == 0, next_label, out, next);
        return;
    }
    if (step == 3) {
        std::string where;
        if (const auto* t = v.lib.target(fm.window)) where = t->name;
        if (const auto* o = v.lib.target(fm.office)) where = o->name + " · " + where;
        ImGui::SetCursorScreenPos(ImVec2(x, origin.y));
        forms::step_header(v, step, steps, "您对这次办事满意吗？", x, w);
        TextStyle s = small(v);
        s.color = color::text_muted;
        draw_line_clipped(where, s, ImGui::GetCursorScreenPos(), w);
        const float top = ImGui::GetCursorScreenPos().y + s.px * 1.6f;
        // Five large buttons: a row in landscape, a column in portrait.
        const int n = 5;
        const float room_h = nav_y - top - m.gap;
        const float bw = m.portrait ? w : (w - (n - 1) * m.gap) / n;
        const float bh = m.portrait ? std::min((room_h - (n - 1) * m.gap) / n, m.touch * 2.2f)
                                    : std::min(room_h, bw * 1.25f);
        TextStyle t = body(v);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        for (int i = 0; i < n; ++i) {
            const Level& L = kLevels[i];
            ImVec2 min =
                m.portrait ? ImVec2(x, top + i * (bh + m.gap)) : ImVec2(x + i * (bw + m.gap), top);
            ImVec2 max(min.x + bw, min.y + bh);
            ImGui::SetCursorScreenPos(min);
            std::string id = std::string("##level-") + std::to_string(L.level);
            const bool tapped =
                ImGui::InvisibleButton(id.c_str(), ImVec2(bw, bh)) && !probe().dragging;
            const bool held = ImGui::IsItemActive();
            const bool chosen = fm.level == L.level;
            fill_rounded(dl, min, max,
                         held     ? color::surface_pressed
                         : chosen ? color::accent_soft
                                  : color::surface,
                         18 * m.unit);
            dl->AddRect(min, max, chosen ? L.color : color::border, 18 * m.unit, 0,
                        (chosen ? 5.f : 2.f) * m.unit);
            const float r = std::min(m.portrait ? bh * 0.36f : bw * 0.28f, m.touch * 0.75f);
            if (m.portrait) {
                face(dl, ImVec2(min.x + m.gap + r, min.y + bh / 2), r, L.level, L.color, m.unit);
                draw_line_clipped(L.words, t,
                                  ImVec2(min.x + 2 * m.gap + 2 * r, min.y + (bh - t.px * 1.2f) / 2),
                                  bw);
            } else {
                face(dl, ImVec2(min.x + bw / 2, min.y + bh * 0.4f), r, L.level, L.color, m.unit);
                const float tw = text_width(L.words, t);
                draw_line_clipped(
                    L.words, t, ImVec2(min.x + (bw - tw) / 2, min.y + bh * 0.4f + r + m.gap * 0.6f),
                    bw);
            }
            probe().add_target(L.words, min, max);
            if (tapped) out.push_back(PickLevel{L.level});
        }
        forms::step_nav(v, x, nav_y, w, false,
                        fm.level >= 1 && fm.level <= 3 ? "下一步" : "提交评价", out,
                        fm.level >= 4 ? &submit : nullptr);
        return;
    }
    // Reasons and an optional comment, for the three lower levels.
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y));
    forms::step_header(v, step, steps, "哪里做得不好？可以多选，也可以写几句（都可以不填）", x, w);
    float cx = x, cy = ImGui::GetCursorScreenPos().y;
    for (const Reason& r : kReasons) {
        const float cw = forms::chip_width(v, r.words);
        if (cx + cw > x + w) cx = x, cy += m.touch + m.gap * 0.5f;
        const bool on = std::find(fm.reasons.begin(), fm.reasons.end(), r.id) != fm.reasons.end();
        std::string id = std::string("##reason-") + r.id;
        if (forms::chip(v, id.c_str(), r.words, on, ImVec2(cx, cy)))
            out.push_back(ToggleReason{r.id});
        cx += cw + m.gap * 0.5f;
    }
    const float box_top = cy + m.touch + m.gap * 0.6f;
    const float chips_top = ImGui::GetCursorScreenPos().y;
    (void)chips_top;
    const auto area = forms::typing_area(v, origin, size, x, w, box_top);
    ImGui::SetCursorScreenPos(ImVec2(area.x, area.y));
    forms::text_box(v, Field::rating_comment, "想说的话（可不填）",
                    ImVec2(area.w, std::max(m.touch, area.h - small(v).px * 1.3f)), true, out);
    forms::typing_nav(v, origin, size, x, w, box_top, false, next_label, out, next);
    forms::keyboard_for_field(v, origin, size, x, w, out);
}

}  // namespace kiosk::ui::screens
