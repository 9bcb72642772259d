// Home: one large tile per disclosure category, every category one tap away.
#include <string>

#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

void home(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const auto& cats = v.lib.categories;
    const int cols = m.portrait ? 2 : 4;
    const int rows = static_cast<int>((cats.size() + cols - 1) / cols);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    float gw = size.x - 2 * m.margin, gh = size.y - 2 * m.margin;
    float tw = (gw - (cols - 1) * m.gap) / cols;
    float th = rows ? std::min((gh - (rows - 1) * m.gap) / rows, tw * 0.9f) : 0;
    TextStyle t = title(v);
    TextStyle s = small(v);
    for (size_t i = 0; i < cats.size(); ++i) {
        int r = static_cast<int>(i) / cols, c = static_cast<int>(i) % cols;
        ImGui::SetCursorScreenPos(
            ImVec2(origin.x + m.margin + c * (tw + m.gap), origin.y + m.margin + r * (th + m.gap)));
        std::string id = "##cat-" + cats[i].id;
        std::string count = std::to_string(cats[i].document_count) + " 份";
        if (tile(id.c_str(), cats[i].name, cats[i].description, count, ImVec2(tw, th), t, s)) {
            out.push_back(OpenCategory{cats[i].id});
        }
    }
}

}  // namespace kiosk::ui::screens
