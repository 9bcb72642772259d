// The maintenance screen for technicians: the hidden gesture on the attract screen, the PIN pad,
// and the pages (overview with rollback and restart, USB import and export, touch test, screen
// test). Everything is drawn from AppState::maint; the program answers what needs the disk.
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

namespace {

float corner_size(const Metrics& m) {
    return 150 * m.unit;
}

// -1 outside the two top corners, 0 top-left, 1 top-right.
int corner_of(const Metrics& m, ImVec2 p) {
    const float c = corner_size(m);
    if (p.y < 0 || p.y >= c) return -1;
    if (p.x >= 0 && p.x < c) return 0;
    if (p.x >= m.width - c && p.x < m.width) return 1;
    return -1;
}

TextStyle on_bar(TextStyle t) {
    t.color = color::on_bar;
    return t;
}

// The maintenance screens' own bar: a title and one button on the right.
void bar(const View& v, const char* title_text, const char* id, const char* label, Actions& out,
         Action action) {
    const Metrics& m = v.m;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(m.width, m.button_row), color::bar);
    const float pad = (m.button_row - m.touch) / 2;
    const ImVec2 bsize(m.touch * 2.6f, m.touch);
    ImGui::SetCursorScreenPos(ImVec2(m.width - m.margin * 0.5f - bsize.x, pad));
    if (button(id, label, bsize, on_bar(body(v)), ButtonLook::bar)) out.push_back(action);
    TextStyle t = on_bar(title(v));
    t.px = std::min(t.px, m.button_row * 0.5f);
    draw_line_clipped(title_text, t, ImVec2(m.margin, (m.button_row - t.px * 1.2f) / 2),
                      m.width - bsize.x - 2 * m.margin);
}

void message_card(const View& v, float x, float y, float w) {
    const MaintenanceState& st = v.state.maint;
    if (st.message.empty()) return;
    TextStyle b = body(v);
    b.color = st.message_ok ? color::text : color::accent;
    const float pad = v.m.gap * 0.8f;
    const float h = wrapped_height(st.message, b, w - 2 * pad) + 2 * pad;
    fill_rounded(ImGui::GetWindowDrawList(), ImVec2(x, y), ImVec2(x + w, y + h),
                 st.message_ok ? color::accent_soft : color::banner, 14 * v.m.unit);
    ImGui::SetCursorScreenPos(ImVec2(x + pad, y + pad));
    draw_wrapped(st.message, b, w - 2 * pad);
}

void overview(const View& v, Actions& out, float x, float y, float w) {
    const Metrics& m = v.m;
    const MaintInfo& info = v.state.maint.info;
    const std::pair<const char*, const std::string*> rows[] = {
        {"网络", &info.network},    {"待上传", &info.queue},        {"程序版本", &info.app_version},
        {"公开内容", &info.bundle}, {"上一版内容", &info.previous}, {"剩余空间", &info.free_disk},
        {"本机时间", &info.clock},
    };
    TextStyle label = body(v);
    label.color = color::text_muted;
    TextStyle value = body(v);
    const float label_w = std::min(w * 0.3f, 300 * m.unit);
    const float row_h = value.px * 1.75f;
    for (const auto& [name, text] : rows) {
        draw_line_clipped(name, label, ImVec2(x, y), label_w);
        draw_line_clipped(*text, value, ImVec2(x + label_w, y), w - label_w);
        y += row_h;
    }
    y += m.gap * 0.5f;
    const float bw = (w - m.gap) / 2;
    const ImVec2 bsize(bw, m.touch);
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (button("##rollback", "回滚到上一版内容", bsize, body(v))) out.push_back(RollbackBundle{});
    ImGui::SetCursorScreenPos(ImVec2(x + bw + m.gap, y));
    if (button("##restart", "重新启动终端程序", bsize, body(v))) out.push_back(RestartKiosk{});
    message_card(v, x, y + m.touch + m.gap, w);
}

void usb(const View& v, Actions& out, float x, float y, float w, float bottom) {
    const Metrics& m = v.m;
    const MaintenanceState& st = v.state.maint;
    TextStyle b = body(v);
    TextStyle s = small(v);
    draw_line_clipped("U 盘文件夹：" + (st.folder.empty() ? st.usb_root : st.folder), s,
                      ImVec2(x, y), w);
    y += s.px * 1.6f;
    const float half = (w - m.gap) / 2;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    const bool at_top = st.folder.empty() || st.folder == st.usb_root;
    if (!at_top) {
        std::string up = st.folder.substr(0, st.folder.find_last_of('/'));
        if (button("##usb-up", "上一级文件夹", ImVec2(half, m.touch), b))
            out.push_back(UsbOpenFolder{up});
    }
    ImGui::SetCursorScreenPos(ImVec2(x + half + m.gap, y));
    if (!st.folder.empty() &&
        button("##export", "把待上传内容导出到这里", ImVec2(half, m.touch), b, ButtonLook::accent))
        out.push_back(OutboxExport{});
    y += m.touch + m.gap;
    message_card(v, x, y, w);
    if (!st.message.empty()) y += wrapped_height(st.message, b, w - 1.6f * m.gap) + 2 * m.gap;
    // Folders, then bundles; as many as fit (a stick holds a few).
    int shown = 0;
    for (const auto& f : st.folders) {
        if (y + m.touch > bottom) break;
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        const std::string id = "##dir" + std::to_string(shown++);
        if (button(id.c_str(), "打开文件夹 " + f.name, ImVec2(w, m.touch), b))
            out.push_back(UsbOpenFolder{f.path});
        y += m.touch + m.gap * 0.5f;
    }
    for (const auto& f : st.bundles) {
        if (y + m.touch > bottom) break;
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        const std::string id = "##bundle" + std::to_string(shown++);
        if (button(id.c_str(), "导入 " + f.name, ImVec2(w, m.touch), b, ButtonLook::accent))
            out.push_back(UsbImport{f.path});
        y += m.touch + m.gap * 0.5f;
    }
    if (st.folders.empty() && st.bundles.empty() && st.message.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        TextStyle muted = b;
        muted.color = color::text_muted;
        draw_wrapped("这个文件夹里没有子文件夹，也没有内容包（.kbundle）。", muted, w);
    }
}

// A grid of cells that light up where a finger passes: dead zones of the glass show as gaps.
void touch_test(const View& v, Actions& out, ImVec2 min, ImVec2 max) {
    const MaintenanceState& st = v.state.maint;
    const ImGuiIO& io = ImGui::GetIO();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cw = (max.x - min.x) / kTouchCols, ch = (max.y - min.y) / kTouchRows;
    int lit = 0;
    ImGui::SetCursorScreenPos(min);
    ImGui::InvisibleButton("##touch-grid", ImVec2(max.x - min.x, max.y - min.y));
    for (int r = 0; r < kTouchRows; ++r) {
        for (int c = 0; c < kTouchCols; ++c) {
            const int i = r * kTouchCols + c;
            const ImVec2 a(min.x + c * cw, min.y + r * ch), b(a.x + cw, a.y + ch);
            const bool on = static_cast<size_t>(i) < st.touched.size() && st.touched[i];
            lit += on;
            if (!on && io.MouseDown[0] && io.MousePos.x >= a.x && io.MousePos.x < b.x &&
                io.MousePos.y >= a.y && io.MousePos.y < b.y)
                out.push_back(TouchCell{i});
            dl->AddRectFilled(ImVec2(a.x + 2, a.y + 2), ImVec2(b.x - 2, b.y - 2),
                              on ? color::accent : color::surface);
            probe().add_target("#cell" + std::to_string(i), a, b);
        }
    }
    TextStyle s = body(v);
    char line[96];
    std::snprintf(line, sizeof line, "用手指划过每一格：已亮 %d / %d 格", lit,
                  kTouchCols * kTouchRows);
    s.color = color::text;
    const float tw = text_width(line, s) + s.px;
    const ImVec2 at((min.x + max.x - tw) / 2, (min.y + max.y) / 2 - s.px);
    fill_rounded(dl, at, ImVec2(at.x + tw, at.y + s.px * 2), IM_COL32(255, 255, 255, 230),
                 12 * v.m.unit);
    draw_line_clipped(line, s, ImVec2(at.x + s.px * 0.5f, at.y + s.px * 0.4f), tw);
}

// Full-screen colours for dead pixels and colour faults; a touch shows the next.
void screen_test(const View& v, Actions& out) {
    const Metrics& m = v.m;
    static const ImU32 colours[kScreenColours] = {
        IM_COL32(255, 0, 0, 255), IM_COL32(0, 255, 0, 255), IM_COL32(0, 0, 255, 255),
        IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 255)};
    const int i = std::min(std::max(v.state.maint.colour, 0), kScreenColours - 1);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(m.width, m.height), colours[i]);
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("##next-colour", ImVec2(m.width, m.height)))
        out.push_back(NextColour{});
    probe().add_target("下一种颜色", ImVec2(0, 0), ImVec2(m.width, m.height));
    TextStyle s = small(v);
    s.color = i == 3 || i == 1 ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
    const std::string hint = "屏幕测试 " + std::to_string(i + 1) + " / " +
                             std::to_string(kScreenColours) + "：点击换下一种颜色";
    draw_line_clipped(hint, s, ImVec2(m.margin, m.height - m.margin - s.px * 1.2f),
                      m.width - 2 * m.margin);
}

}  // namespace

bool maintenance_gesture(const View& v, Actions& out, bool released) {
    const ImGuiIO& io = ImGui::GetIO();
    const float c = corner_size(v.m);
    // Named for replay scripts (nothing is drawn there).
    probe().add_target("#corner-tl", ImVec2(0, 0), ImVec2(c, c));
    probe().add_target("#corner-tr", ImVec2(v.m.width - c, 0), ImVec2(v.m.width, c));
    const int pressed_at = corner_of(v.m, io.MouseClickedPos[0]);
    if (io.MouseDown[0] && pressed_at == 0 && corner_of(v.m, io.MousePos) == 0 &&
        io.MouseDownDuration[0] >= kHoldS && v.state.maint.gesture_step == 0)
        out.push_back(MaintHold{});
    if (!released) return false;
    if (pressed_at == 0 && io.MouseDownDurationPrev[0] >= kHoldS) return true;  // the hold
    if (v.state.maint.gesture_step > 0 && pressed_at >= 0) {
        out.push_back(MaintCornerTap{pressed_at});
        return true;
    }
    return false;
}

void maintenance_pin(const View& v, Actions& out) {
    const Metrics& m = v.m;
    const MaintenanceState& st = v.state.maint;
    bar(v, "终端维护 · 请输入维护密码", "##leave", "退出维护", out, LeaveMaintenance{});
    const float key_w = 190 * m.unit, key_h = std::max(m.touch, 110 * m.unit);
    const float pad_w = key_w * 3 + m.gap * 2;
    const float x = (m.width - pad_w) / 2;
    float y = m.button_row + m.gap * 1.5f;
    // The digits typed, as dots.
    TextStyle t = title(v);
    std::string dots;
    for (size_t i = 0; i < st.pin.size(); ++i)
        dots += i ? " ●" : "●";
    if (dots.empty()) dots = "请输入 4 至 12 位数字";
    TextStyle d = st.pin.empty() ? body(v) : t;
    if (st.pin.empty()) d.color = color::text_muted;
    const float dw = text_width(dots, d);
    draw_line_clipped(dots, d, ImVec2((m.width - dw) / 2, y), m.width);
    y += t.px * 1.6f;
    if (!st.pin_message.empty()) {
        TextStyle msg = body(v);
        msg.color = color::accent;
        const float mw = std::min(m.width - 2 * m.margin, 1100 * m.unit);
        ImGui::SetCursorScreenPos(ImVec2((m.width - mw) / 2, y));
        draw_wrapped(st.pin_message, msg, mw);
        y = ImGui::GetCursorScreenPos().y + m.gap * 0.5f;
    }
    static const char* keys[12] = {"1", "2", "3", "4",    "5", "6",
                                   "7", "8", "9", "清除", "0", "删除"};
    static const char* sent[12] = {"1", "2", "3", "4",     "5", "6",
                                   "7", "8", "9", "clear", "0", "backspace"};
    TextStyle k = title(v);
    k.px = std::min(k.px, key_h * 0.5f);
    for (int i = 0; i < 12; ++i) {
        ImGui::SetCursorScreenPos(
            ImVec2(x + (i % 3) * (key_w + m.gap), y + (i / 3) * (key_h + m.gap * 0.6f)));
        const std::string id = std::string("##pin") + sent[i];
        if (button(id.c_str(), keys[i], ImVec2(key_w, key_h), k)) out.push_back(PinKey{sent[i]});
    }
    y += 4 * (key_h + m.gap * 0.6f) + m.gap * 0.4f;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (button("##pin-enter", "确定", ImVec2(pad_w, key_h), on_bar(k), ButtonLook::accent))
        out.push_back(PinEnter{});
}

void maintenance(const View& v, Actions& out) {
    const Metrics& m = v.m;
    const MaintenanceState& st = v.state.maint;
    if (st.page == MaintPage::screen_test) return screen_test(v, out);
    bar(v, "终端维护", "##leave", "退出维护", out, LeaveMaintenance{});
    // The pages as a row of tabs under the bar.
    const float x = m.margin, w = m.width - 2 * m.margin;
    float y = m.button_row + m.gap;
    static const std::pair<MaintPage, const char*> pages[] = {
        {MaintPage::overview, "概况"},
        {MaintPage::usb, "U 盘导入导出"},
        {MaintPage::touch_test, "触摸测试"},
        {MaintPage::screen_test, "屏幕测试"},
    };
    const float tab_w = (w - 3 * m.gap) / 4;
    int i = 0;
    for (const auto& [page, label] : pages) {
        ImGui::SetCursorScreenPos(ImVec2(x + i * (tab_w + m.gap), y));
        const std::string id = "##tab" + std::to_string(i++);
        const bool here = st.page == page;
        TextStyle b = body(v);
        if (here) b.color = color::on_bar;
        if (button(id.c_str(), label, ImVec2(tab_w, m.touch), b,
                   here ? ButtonLook::accent : ButtonLook::plain))
            out.push_back(MaintOpen{page});
    }
    y += m.touch + m.gap * 1.2f;
    if (st.page == MaintPage::overview)
        overview(v, out, x, y, w);
    else if (st.page == MaintPage::usb)
        usb(v, out, x, y, w, m.height - m.margin);
    else if (st.page == MaintPage::touch_test)
        touch_test(v, out, ImVec2(0, y), ImVec2(m.width, m.height));
}

}  // namespace kiosk::ui::screens
