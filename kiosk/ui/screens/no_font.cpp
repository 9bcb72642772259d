// Shown when the kiosk's Chinese font is missing and only a Latin font could stand in: a calm
// notice in letters the font has (never a screen of □), the hotline, and what a technician does.
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

void no_font(const View& v, Actions&) {
    const Metrics& m = v.m;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float band = m.height * (m.portrait ? 0.22f : 0.28f);
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(m.width, band), color::bar);
    const float x = m.margin * 1.5f, w = m.width - 3 * m.margin;
    TextStyle t = title(v);
    t.color = color::on_bar;
    ImGui::SetCursorScreenPos(ImVec2(x, band * 0.3f));
    draw_wrapped("Sunshine Kiosk is out of service for a moment", t, w);
    float y = band + m.margin;
    TextStyle b = body(v);
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    draw_wrapped("This terminal cannot show Chinese text right now. Please call the "
                 "sunshine hotline 12356, or ask at a service window.",
                 b, w);
    y = ImGui::GetCursorScreenPos().y + m.gap;
    TextStyle hot = title(v);
    hot.px *= 1.3f;
    hot.color = color::accent;
    draw_line_clipped("12356", hot, ImVec2(x, y), w);
    y += hot.px * 1.8f;
    // The technician's part, in a card.
    TextStyle s = small(v);
    s.color = color::text;
    const std::string what = "For the technician: " + v.state.font_problem +
                             ". Install the font (apt-get install fonts-noto-cjk) or correct "
                             "[assets] font_regular / font_bold in the configuration, then run "
                             "kioskctl selftest and restart the kiosk.";
    const float pad = m.gap;
    const float h = wrapped_height(what, s, w - 2 * pad) + 2 * pad;
    fill_rounded(dl, ImVec2(x, y), ImVec2(x + w, y + h), color::banner, 14 * m.unit);
    ImGui::SetCursorScreenPos(ImVec2(x + pad, y + pad));
    draw_wrapped(what, s, w - 2 * pad);
}

}  // namespace kiosk::ui::screens
