// A category: its documents as cards, newest notices first, with "新" on recent notices.
#include <string>

#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

void category(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const Place& here = v.state.here();
    float offset = begin_scroll("##list", size, m, v.state.generation, here.scroll);
    (void)offset;
    float w = std::min(size.x - 2 * m.margin, 1500 * m.unit);
    float x = (size.x - w) / 2;
    TextStyle t = title(v);
    t.px = v.m.body_px * 1.08f;
    TextStyle s = small(v);
    ImGui::Dummy(ImVec2(1, m.margin * 0.6f));
    for (const auto& d : v.lib.category_docs) {
        ImVec2 top = ImGui::GetCursorScreenPos();
        top.x = ImGui::GetWindowPos().x + x;
        std::string corner = d.kind == "notice" ? d.updated : "";
        // A notice's card also holds its date, on a line of its own below the summary.
        float h = t.px * 1.5f + s.px * (corner.empty() ? 1.5f : 2.9f) + m.gap * 2.2f;
        ImGui::SetCursorScreenPos(top);
        std::string id = "##doc-" + d.id;
        if (tile(id.c_str(), d.title, d.summary, corner, ImVec2(w, h), t, s)) {
            out.push_back(OpenDocument{d.id});
        }
        if (d.is_new) {
            ImDrawList* dl = ImGui::GetWindowDrawList();
            TextStyle badge = s;
            badge.color = color::on_bar;
            ImVec2 bmin(top.x + w - s.px * 2.6f, top.y + m.gap * 0.6f);
            dl->AddRectFilled(bmin, ImVec2(bmin.x + s.px * 2, bmin.y + s.px * 1.3f), color::accent,
                              s.px * 0.3f);
            draw_line_clipped("新", badge, ImVec2(bmin.x + s.px * 0.5f, bmin.y + s.px * 0.05f),
                              s.px);
        }
        ImGui::SetCursorScreenPos(ImVec2(top.x, top.y + h + m.gap));
    }
    ImGui::Dummy(ImVec2(1, m.margin));
    end_scroll(m);
}

}  // namespace kiosk::ui::screens
