// 我要咨询: the question → a phone number for a callback (optional) → review and submit.
#include <string>

#include "../form_widgets.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

void consult(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const Forms& fm = v.state.forms;
    const auto [origin, x, w] = forms::column(v, size);
    const int step = fm.consult_step;
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y));
    static const char* const questions[] = {
        "您想咨询什么？", "需要回电吗？留下手机号码（可以不填）", "请核对，确认后提交"};
    forms::step_header(v, step, kConsultSteps, questions[step], x, w);
    const float top = ImGui::GetCursorScreenPos().y;
    if (step < 2) {
        const auto area = forms::typing_area(v, origin, size, x, w, top);
        ImGui::SetCursorScreenPos(ImVec2(area.x, area.y));
        if (step == 0) {
            forms::text_box(v, Field::consult_question, "点这里，用下面的键盘写下您的问题",
                            ImVec2(area.w, std::max(m.touch, area.h - small(v).px * 1.3f)), true,
                            out);
        } else {
            forms::text_box(v, Field::consult_phone, "11 位手机号码",
                            ImVec2(std::min(area.w, 700 * m.unit), m.touch), false, out);
        }
        forms::typing_nav(v, origin, size, x, w, top, step == 0,
                          step == 1 && field_text(v.state, Field::consult_phone).empty() ? "跳过"
                                                                                         : "下一步",
                          out);
        forms::keyboard_for_field(v, origin, size, x, w, out);
        return;
    }
    const float nav_y = origin.y + size.y - forms::step_nav_height(v, w);
    ImGui::SetCursorScreenPos(ImVec2(origin.x, top));
    begin_scroll("##consult-review", ImVec2(size.x, nav_y - top - m.gap * 0.5f), m,
                 v.state.generation, 0);
    TextStyle label = small(v);
    label.color = color::accent;
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap * 0.4f));
    draw_wrapped("问题", label, w);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    draw_wrapped(field_text(v.state, Field::consult_question), body(v), w);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap * 0.4f));
    draw_wrapped("回电号码", label, w);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    const std::string& phone = field_text(v.state, Field::consult_phone);
    draw_wrapped(phone.empty() ? "不需要回电，凭回执码查询答复" : phone, body(v), w);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap * 0.6f));
    TextStyle s = small(v);
    s.color = color::text_muted;
    draw_wrapped("提交后立即加密，只有县里负责答复的工作人员能打开。", s, w);
    end_scroll(m);
    const Action submit = Submit{submit::Kind::consultation};
    forms::step_nav(v, x, nav_y, w, false, "提交", out, &submit);
}

}  // namespace kiosk::ui::screens
