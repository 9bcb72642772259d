// After a submission: the receipt code large, as 4-4-4-4 and as a QR code, with plain words on
// how to check it later (or a thank-you after a rating); and the calm "closed" screen when this
// terminal cannot take submissions now.
#include <cmath>
#include <string>

#include "../form_widgets.hpp"
#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

namespace {

std::string grouped(const std::string& digits) {
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && i % 4 == 0) out += '-';
        out += digits[i];
    }
    return out;
}

void qr_code(const ReceiptShown& r, ImVec2 min, float side) {
    if (r.qr_size <= 0) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int quiet = 2;
    const float cell = std::floor(side / static_cast<float>(r.qr_size + 2 * quiet));
    const float edge = cell * static_cast<float>(r.qr_size + 2 * quiet);
    dl->AddRectFilled(min, ImVec2(min.x + edge, min.y + edge), IM_COL32(255, 255, 255, 255));
    for (int y = 0; y < r.qr_size; ++y) {
        for (int x = 0; x < r.qr_size; ++x) {
            if (!r.qr[static_cast<size_t>(y * r.qr_size + x)]) continue;
            ImVec2 a(min.x + (x + quiet) * cell, min.y + (y + quiet) * cell);
            dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(0, 0, 0, 255));
        }
    }
}

}  // namespace

void receipt(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const ReceiptShown& r = v.state.receipt;
    const auto [origin, x, w] = forms::column(v, size);
    TextStyle t = title(v);
    TextStyle b = body(v);
    float y = origin.y + m.margin * 0.8f;
    const bool rating = r.kind == submit::Kind::rating;
    const char* heading = rating                           ? "感谢您的评价！"
                          : r.kind == submit::Kind::report ? "举报已提交"
                                                           : "咨询已提交";
    draw_line_clipped(heading, t, ImVec2(x, y), w);
    y += t.px * 1.6f;
    if (rating) {
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        draw_wrapped("您的评价已记录，县人口计生委每月通报各单位和窗口的群众满意度。", b, w);
        y = ImGui::GetCursorScreenPos().y + m.gap;
    } else {
        // The code: as large as the width allows, then the QR code beside it (below in portrait).
        const float qr_side = std::min(m.portrait ? w * 0.5f : size.y * 0.42f, 520 * m.unit);
        const float text_w = m.portrait ? w : w - qr_side - m.gap * 2;
        TextStyle label = small(v);
        label.color = color::text_muted;
        draw_line_clipped("您的回执码", label, ImVec2(x, y), text_w);
        TextStyle code = t;
        code.px = std::min(t.px * 1.9f, text_w / 10.8f);
        code.color = color::accent;
        const std::string shown = grouped(r.code);
        draw_line_clipped(shown, code, ImVec2(x, y + label.px * 1.5f), text_w);
        probe().add_text("#receipt-code", ImVec2(x, y), ImVec2(x + text_w, y + code.px * 2));
        float below = y + label.px * 1.5f + code.px * 1.5f + m.gap;
        ImGui::SetCursorScreenPos(ImVec2(x, below));
        draw_wrapped(m.portrait
                         ? "请记下这个号码，或用手机拍下下面的二维码。以后可以在本机“进度查询”"
                           "输入回执码，或拨打阳光热线 12356，查询办理进度和答复。"
                         : "请记下这个号码，或用手机拍下右边的二维码。以后可以在本机“进度查询”"
                           "输入回执码，或拨打阳光热线 12356，查询办理进度和答复。",
                     b, text_w);
        if (r.printed) {
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap * 0.5f));
            draw_wrapped("回执已打印，请从下方出纸口取走。", b, text_w);
        }
        const float text_bottom = ImGui::GetCursorScreenPos().y;
        if (m.portrait) {
            qr_code(r, ImVec2(x + (w - qr_side) / 2, text_bottom + m.gap), qr_side);
            y = text_bottom + m.gap * 2 + qr_side;
        } else {
            qr_code(r, ImVec2(x + w - qr_side, y), qr_side);
            y = std::max(text_bottom, y + qr_side) + m.gap;
        }
    }
    TextStyle s = small(v);
    s.color = color::text_muted;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    draw_wrapped("您填写的内容已加密保存，本机无法查看；网络恢复后会自动送达县人口计生委。", s, w);
    const float bw = std::min(w, 520 * m.unit);
    ImGui::SetCursorScreenPos(
        ImVec2(x + (w - bw) / 2, origin.y + size.y - m.touch * 1.2f - m.margin));
    TextStyle bt = b;
    bt.color = color::on_bar;
    if (button("##done", "完成", ImVec2(bw, m.touch * 1.2f), bt, ButtonLook::accent))
        out.push_back(GoHome{});
}

void closed(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const auto [origin, x, w] = forms::column(v, size, 1300);
    TextStyle t = title(v);
    draw_line_clipped("本机暂时不能受理", t, ImVec2(x, origin.y + m.margin), w);
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + m.margin + t.px * 1.8f));
    draw_wrapped(v.state.closed_reason, body(v), w);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap));
    draw_wrapped(
        "您可以拨打阳光热线 12356 反映情况，或到窗口找工作人员登记。已经提交的内容不会丢失。",
        body(v), w);
    const float bw = std::min(w, 520 * m.unit);
    ImGui::SetCursorScreenPos(
        ImVec2(x + (w - bw) / 2, origin.y + size.y - m.touch * 1.2f - m.margin));
    TextStyle bt = body(v);
    bt.color = color::on_bar;
    if (button("##closed-home", "回到首页", ImVec2(bw, m.touch * 1.2f), bt, ButtonLook::accent))
        out.push_back(GoHome{});
}

}  // namespace kiosk::ui::screens
