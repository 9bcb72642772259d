// Home: the four things a resident can do (report, rate, ask, look up) as a band of large
// actions, then one large tile per disclosure category, every category one tap away.
#include <string>

#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

namespace {

struct Act {
    const char* label;
    const char* hint;
    ScreenId screen;
};
const Act kActs[] = {{"我要举报", "乱收费、以权谋私等，可匿名", ScreenId::report},
                     {"服务评价", "为窗口服务打分", ScreenId::rating},
                     {"我要咨询", "留下问题，等待答复", ScreenId::consult},
                     {"进度查询", "凭回执码查询结果", ScreenId::lookup}};

// One action: an accent button with its label large and a short hint under it.
bool action_button(const View& v, const Act& a, ImVec2 min, ImVec2 size) {
    const Metrics& m = v.m;
    ImGui::SetCursorScreenPos(min);
    std::string id = std::string("##act-") + a.label;
    const bool released = ImGui::InvisibleButton(id.c_str(), size);
    const bool held = ImGui::IsItemActive() && !probe().dragging;
    ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = 20 * m.unit;
    fill_rounded(dl, ImVec2(min.x, min.y + 4), ImVec2(max.x, max.y + 4), color::shadow, r);
    fill_rounded(dl, min, max, held ? IM_COL32(150, 70, 10, 255) : color::accent, r);
    TextStyle t = title(v);
    t.px = std::min(t.px, size.y * 0.42f);
    t.color = color::on_bar;
    TextStyle s = small(v);
    s.color = IM_COL32(255, 236, 214, 255);
    const float pad = m.gap;
    const bool hint = size.y > t.px * 1.3f + s.px * 1.3f + pad;
    const float block = t.px * 1.25f + (hint ? s.px * 1.25f : 0);
    const float ty = min.y + (size.y - block) / 2;
    draw_line_clipped(a.label, t, ImVec2(min.x + pad, ty), size.x - 2 * pad);
    if (hint)
        draw_line_clipped(a.hint, s, ImVec2(min.x + pad, ty + t.px * 1.25f), size.x - 2 * pad);
    probe().add_target(a.label, min, max);
    return released && !probe().dragging;
}

}  // namespace

void home(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const auto& cats = v.lib.categories;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    const float gw = size.x - 2 * m.margin;
    // The band: four across in landscape, two by two in portrait.
    const int acols = m.portrait ? 2 : 4, arows = 4 / acols;
    const float aw = (gw - (acols - 1) * m.gap) / acols;
    const float ah =
        std::max(m.touch * 1.25f, std::min(size.y * (m.portrait ? 0.11f : 0.17f), 190 * m.unit));
    for (int i = 0; i < 4; ++i) {
        const int r = i / acols, c = i % acols;
        ImVec2 at(origin.x + m.margin + c * (aw + m.gap),
                  origin.y + m.margin * 0.75f + r * (ah + m.gap));
        if (action_button(v, kActs[i], at, ImVec2(aw, ah)))
            out.push_back(OpenForm{kActs[i].screen});
    }
    const float band = m.margin * 0.75f + arows * (ah + m.gap) + m.gap * 0.25f;
    const int cols = m.portrait ? 2 : 4;
    const int rows = static_cast<int>((cats.size() + cols - 1) / cols);
    const float gh = size.y - band - m.margin;
    float tw = (gw - (cols - 1) * m.gap) / cols;
    float th = rows ? std::min((gh - (rows - 1) * m.gap) / rows, tw * 0.9f) : 0;
    TextStyle t = title(v);
    TextStyle s = small(v);
    if (th < t.px * 2.6f) t.px = std::max(m.body_px, th / 2.6f);
    for (size_t i = 0; i < cats.size(); ++i) {
        int r = static_cast<int>(i) / cols, c = static_cast<int>(i) % cols;
        ImGui::SetCursorScreenPos(
            ImVec2(origin.x + m.margin + c * (tw + m.gap), origin.y + band + r * (th + m.gap)));
        std::string id = "##cat-" + cats[i].id;
        std::string count = std::to_string(cats[i].document_count) + " 份";
        if (tile(id.c_str(), cats[i].name, cats[i].description, count, ImVec2(tw, th), t, s)) {
            out.push_back(OpenCategory{cats[i].id});
        }
    }
}

}  // namespace kiosk::ui::screens
