// The idle screen: what this terminal is for, the newest notices in a slow loop, the hotline.
#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

void attract(const View& v, Actions& out) {
    const Metrics& m = v.m;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The whole screen is the "touch to start" target.
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    const bool released = ImGui::InvisibleButton("##start", ImVec2(m.width, m.height));
    if (!maintenance_gesture(v, out, released) && released) out.push_back(Start{});
    probe().add_target("触摸屏幕开始使用", ImVec2(0, 0), ImVec2(m.width, m.height));

    float band = m.height * (m.portrait ? 0.30f : 0.36f);
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(m.width, band), color::bar);
    TextStyle big = title(v);
    big.px *= 1.45f;
    big.color = color::on_bar;
    float x = m.margin * 1.5f, w = m.width - 3 * m.margin;
    draw_line_clipped("阳光公开 · 自助服务", big, ImVec2(x, band * 0.28f), w);
    TextStyle sub = body(v);
    sub.color = IM_COL32(255, 232, 200, 255);
    draw_line_clipped(v.lib.meta.title, sub, ImVec2(x, band * 0.28f + big.px * 1.45f), w);

    // The newest notices, one at a time, changing every 6 seconds.
    float y = band + m.margin * 1.2f;
    TextStyle label = small(v);
    label.color = color::accent;
    draw_line_clipped("最新通知公告", label, ImVec2(x, y), w);
    y += label.px * 1.6f;
    if (!v.lib.notices.empty()) {
        size_t i = static_cast<size_t>(v.time_s / 6.0) % v.lib.notices.size();
        const auto& n = v.lib.notices[i];
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        TextStyle t = title(v);
        draw_wrapped(n.title, t, w);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap * 0.5f));
        TextStyle s = small(v);
        draw_wrapped(n.updated + "  " + n.summary, s, w);
    }

    // Bottom: the call to action and the hotline.
    float bottom = m.height - m.margin * 1.5f;
    TextStyle hot = body(v);
    TextStyle cta = title(v);
    cta.color = color::accent;
    draw_line_clipped("触摸屏幕开始使用", cta, ImVec2(x, bottom - hot.px * 2.7f - cta.px * 1.6f),
                      w);
    draw_line_clipped("我要举报 · 服务评价 · 我要咨询 · 进度查询", hot,
                      ImVec2(x, bottom - hot.px * 2.7f), w);
    draw_line_clipped("监督举报热线 12356 · 查询政策、办事指南、收费标准", hot,
                      ImVec2(x, bottom - hot.px * 1.3f), w);
}

}  // namespace kiosk::ui::screens
