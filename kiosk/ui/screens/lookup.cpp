// 进度查询: the 16-digit receipt code on a number pad, checked as it is typed (its last digit is a
// check digit, so a slip is caught before anything is sent), then the hub's answer.
#include <string>

#include "../form_widgets.hpp"
#include "../widgets.hpp"
#include "screens.hpp"
#include "submit/receipt_code.hpp"

namespace kiosk::ui::screens {

void lookup(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const auto [origin, x, w] = forms::column(v, size);
    TextStyle t = title(v);
    t.px = std::min(t.px, m.body_px * 1.15f);
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + m.gap));
    draw_wrapped("请输入回执上的 16 位回执码", t, w);
    const std::string& code = field_text(v.state, Field::lookup_code);
    // The code as 4-4-4-4 in a box, 查询 beside it (below it in portrait); the keyboard below is a
    // number pad.
    const float bw = std::min(w * 0.3f, 420 * m.unit);
    const float box_w = m.portrait ? w : std::min(w - bw - m.gap, 900 * m.unit);
    const float box_h = m.touch * 1.1f;
    ImVec2 box(x, ImGui::GetCursorScreenPos().y + m.gap * 0.5f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    fill_rounded(dl, box, ImVec2(box.x + box_w, box.y + box_h), color::surface, 14 * m.unit);
    dl->AddRect(box, ImVec2(box.x + box_w, box.y + box_h), color::accent, 14 * m.unit, 0,
                3 * m.unit);
    std::string shown;
    for (size_t i = 0; i < 16; ++i) {
        if (i && i % 4 == 0) shown += " - ";
        shown += i < code.size() ? code[i] : '_';
    }
    TextStyle c = body(v);
    c.px = std::min(c.px * 1.2f, (box_w - c.px) / 14.5f);
    draw_line_clipped(shown, c, ImVec2(box.x + c.px * 0.5f, box.y + (box_h - c.px * 1.2f) / 2),
                      box_w);
    float y = box.y + box_h + m.gap * 0.6f;
    // What the check digit says, in words, as the person types.
    std::string note;
    const bool complete = code.size() == 16;
    const bool valid = complete && submit::receipt_code_valid(code);
    if (code.empty())
        note = "回执码在回执单上，也显示在提交后的屏幕上。";
    else if (!complete)
        note = "还差 " + std::to_string(16 - code.size()) + " 位。";
    else if (!valid)
        note = "这个回执码不对：可能有一位数字输错，或两位数字前后颠倒了。请对照回执再核对一遍。";
    else
        note = "回执码正确，请点“查询”。";
    TextStyle s = body(v);
    s.color = complete && !valid ? color::accent : color::text_muted;
    const float note_w = m.portrait ? w - bw - m.gap : w;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    draw_wrapped(note, s, note_w);
    const ImVec2 button_at = m.portrait ? ImVec2(x + w - bw, y) : ImVec2(x + w - bw, box.y);
    y = std::max(ImGui::GetCursorScreenPos().y, m.portrait ? y + box_h : 0.f) + m.gap * 0.5f;
    if (!v.state.forms.lookup_answer.empty()) {
        // The answer in a calm card across the width.
        TextStyle a = body(v);
        const float pad = m.gap * 0.8f;
        const float h = wrapped_height(v.state.forms.lookup_answer, a, w - 2 * pad) + 2 * pad;
        fill_rounded(dl, ImVec2(x, y), ImVec2(x + w, y + h), color::banner, 14 * m.unit);
        ImGui::SetCursorScreenPos(ImVec2(x + pad, y + pad));
        draw_wrapped(v.state.forms.lookup_answer, a, w - 2 * pad);
    }
    ImGui::SetCursorScreenPos(button_at);
    TextStyle bt = body(v);
    const bool can_ask = valid && !v.state.forms.lookup_busy;
    bt.color = can_ask ? color::on_bar : color::text_muted;
    if (button("##look-up", "查询", ImVec2(bw, box_h), bt,
               can_ask ? ButtonLook::accent : ButtonLook::plain) &&
        can_ask)
        out.push_back(LookUp{});
    forms::keyboard_for_field(v, origin, size, x, w, out);
}

}  // namespace kiosk::ui::screens
