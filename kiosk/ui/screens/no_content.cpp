// Shown when no bundle is installed or none can be opened: a calm word and the hotline.
#include "screens.hpp"

namespace kiosk::ui::screens {

void no_content(const View& v, Actions& out) {
    const Metrics& m = v.m;
    // Nothing to start here, but a technician may open the maintenance screen (to import a
    // bundle from a USB stick).
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    maintenance_gesture(v, out, ImGui::InvisibleButton("##anywhere", ImVec2(m.width, m.height)));
    float w = std::min(m.width - 2 * m.margin, 1200 * m.unit);
    float x = (m.width - w) / 2;
    TextStyle t = title(v);
    TextStyle b = body(v);
    ImGui::SetCursorScreenPos(ImVec2(x, m.height * 0.32f));
    draw_wrapped("内容正在准备中", t, w);
    ImGui::SetCursorScreenPos(ImVec2(x, m.height * 0.32f + t.px * 2));
    draw_wrapped("本机的公开内容正在更新，请稍后再来。如需帮助，请拨打阳光热线 12356，"
                 "或到服务大厅窗口咨询。",
                 b, w);
}

}  // namespace kiosk::ui::screens
