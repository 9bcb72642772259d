// The frame around every screen: top bar (back, home, where you are, large text), banners,
// and the "还在吗？" countdown before the kiosk wipes everything.
#include "frame.hpp"

#include <cmath>
#include <string>

#include "probe.hpp"
#include "screens/screens.hpp"
#include "widgets.hpp"

namespace kiosk::ui {

namespace {

std::string where_title(const View& v) {
    const Place& here = v.state.here();
    switch (here.screen) {
    case ScreenId::home:
        return "阳光公开 · 首页";
    case ScreenId::category:
        if (auto* c = v.lib.category(here.category)) return c->name;
        return "分类";
    case ScreenId::document:
        if (v.lib.doc) return v.lib.doc->summary.title;
        return "文件";
    case ScreenId::search:
        return "搜索";
    case ScreenId::report:
        return "我要举报";
    case ScreenId::rating:
        return "服务评价";
    case ScreenId::consult:
        return "我要咨询";
    case ScreenId::receipt:
        return "回执";
    case ScreenId::lookup:
        return "进度查询";
    case ScreenId::closed:
        return "暂停受理";
    default:
        return "";
    }
}

// The link to the county: 在线 or 离线, and how many submissions wait to be sent. Drawn right-
// aligned ending at `right`, vertically centred on `mid_y`; returns its left edge.
float net_indicator(const View& v, float right, float mid_y) {
    const NetStatus& n = v.state.net;
    if (!n.configured) return right;
    std::string words = n.online ? "在线" : "离线";
    if (n.queue > 0) words += " · 待发送 " + std::to_string(n.queue);
    TextStyle s = screens::small(v);
    s.color = color::on_bar;
    const float w = text_width(words, s);
    const float dot = s.px * 0.45f;
    const float left = right - w - dot * 2.5f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 c(left + dot, mid_y);
    if (n.online)
        dl->AddCircleFilled(c, dot, color::on_bar);
    else
        dl->AddCircle(c, dot - 1, color::on_bar, 0, 2.0f);
    draw_line_clipped(words, s, ImVec2(left + dot * 2.5f, mid_y - s.px * 0.6f), w + 1);
    return left;
}

void top_bar(const View& v, Actions& out) {
    const Metrics& m = v.m;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(m.width, m.bar_height), color::bar);
    const float pad = (m.button_row - m.touch) / 2;
    TextStyle bar_text = screens::body(v);
    bar_text.color = color::on_bar;
    const ImVec2 bsize(m.touch * 1.9f, m.touch);
    ImGui::SetCursorScreenPos(ImVec2(m.margin * 0.5f, pad));
    if (button("##back", "返回", bsize, bar_text, ButtonLook::bar)) out.push_back(GoBack{});
    ImGui::SetCursorScreenPos(ImVec2(m.margin * 0.5f + bsize.x + m.gap, pad));
    if (button("##home", "首页", bsize, bar_text, ButtonLook::bar)) out.push_back(GoHome{});
    const ImVec2 tsize(m.touch * 2.3f, m.touch);
    ImGui::SetCursorScreenPos(ImVec2(m.width - m.margin * 0.5f - tsize.x, pad));
    if (button("##large", v.state.large_text ? "标准字号" : "大字", tsize, bar_text,
               ButtonLook::bar)) {
        out.push_back(ToggleLargeText{});
    }
    const float right_edge = m.width - m.margin * 0.5f - tsize.x - m.gap;
    if (v.state.here().screen != ScreenId::search) {
        ImGui::SetCursorScreenPos(ImVec2(right_edge - bsize.x, pad));
        if (button("##search", "搜索", bsize, bar_text, ButtonLook::bar))
            out.push_back(OpenSearch{});
    }
    TextStyle t = screens::title(v);
    t.color = color::on_bar;
    if (m.portrait) {
        const float row = m.bar_height - m.button_row;
        t.px = std::min(t.px, row * 0.72f);
        draw_line_clipped(
            where_title(v), t,
            ImVec2(m.margin * 0.5f + 8 * m.unit, m.button_row + (row - pad - t.px * 1.2f) / 2),
            net_indicator(v, m.width - m.margin * 0.5f - 8 * m.unit,
                          m.button_row + (row - pad) / 2) -
                m.margin * 0.5f - 16 * m.unit - m.gap);
        return;
    }
    t.px = std::min(t.px, m.bar_height * 0.5f);
    float left = m.margin * 0.5f + bsize.x * 2 + m.gap * 2.5f;
    float right = net_indicator(v, right_edge - bsize.x - m.gap, m.bar_height / 2) - m.gap;
    draw_line_clipped(where_title(v), t, ImVec2(left, (m.bar_height - t.px * 1.2f) / 2),
                      right - left);
}

void expired_banner(const View& v, float y) {
    const Metrics& m = v.m;
    TextStyle s = screens::small(v);
    float h = s.px * 1.9f;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, y), ImVec2(m.width, y + h), color::banner);
    draw_line_clipped("提示：本机内容已过有效期，可能不是最新，请以窗口公告为准或拨打 12356 咨询。",
                      s, ImVec2(m.margin, y + (h - s.px * 1.2f) / 2), m.width - 2 * m.margin);
}

void countdown(const View& v, Actions& out) {
    const Metrics& m = v.m;
    // A fullscreen window dims the page and takes every touch; the dialog is drawn inside it.
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(m.width, m.height));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 110));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##countdown", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings);
    const float w = std::min(m.width - 2 * m.margin, 1000 * m.unit);
    const float pad = 64 * m.unit;
    TextStyle t = screens::title(v);
    TextStyle b = screens::body(v);
    int left = std::max(0, static_cast<int>(std::ceil(v.state.countdown_left())));
    std::string message = std::to_string(left) + " 秒后回到首页，刚才查看和填写的内容会被清除。";
    float text_h = b.px * 1.45f * 3;
    float h = pad * 2 + t.px * 1.6f + text_h + m.touch * 1.2f + m.gap;
    ImVec2 min((m.width - w) / 2, (m.height - h) / 2);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    fill_rounded(dl, min, ImVec2(min.x + w, min.y + h), color::surface, 24 * m.unit);
    draw_line_clipped("还在吗？", t, ImVec2(min.x + pad, min.y + pad), w - 2 * pad);
    ImGui::SetCursorScreenPos(ImVec2(min.x + pad, min.y + pad + t.px * 1.6f));
    draw_wrapped(message, b, w - 2 * pad);
    // Any touch keeps the page; the button says so in words.
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("##anywhere", ImVec2(m.width, m.height))) out.push_back(Touched{});
    float bw = std::min(w - 2 * pad, 460 * m.unit);
    ImGui::SetCursorScreenPos(ImVec2(min.x + (w - bw) / 2, min.y + h - pad - m.touch * 1.2f));
    TextStyle bt = b;
    bt.color = color::on_bar;
    ImGui::SetItemAllowOverlap();
    if (button("##stay", "继续使用", ImVec2(bw, m.touch * 1.2f), bt, ButtonLook::accent)) {
        out.push_back(Touched{});
    }
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

}  // namespace

void draw_frame(const View& v, Actions& out) {
    probe().begin_frame();
    const Metrics& m = v.m;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(m.width, m.height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, color::background);
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoScrollWithMouse);
    const ScreenId screen = v.state.here().screen;
    if (!v.state.font_problem.empty()) {
        screens::no_font(v, out);
    } else if (screen == ScreenId::no_content) {
        screens::no_content(v, out);
    } else if (screen == ScreenId::attract) {
        screens::attract(v, out);
    } else if (screen == ScreenId::maintenance_pin) {
        screens::maintenance_pin(v, out);
    } else if (screen == ScreenId::maintenance) {
        screens::maintenance(v, out);
    } else {
        top_bar(v, out);
        float y = m.bar_height;
        if (v.lib.expired) {
            expired_banner(v, y);
            y += screens::small(v).px * 1.9f;
        }
        ImGui::SetCursorScreenPos(ImVec2(0, y));
        ImVec2 size(m.width, m.height - y);
        if (screen == ScreenId::home)
            screens::home(v, out, size);
        else if (screen == ScreenId::category)
            screens::category(v, out, size);
        else if (screen == ScreenId::search)
            screens::search(v, out, size);
        else if (screen == ScreenId::report)
            screens::report(v, out, size);
        else if (screen == ScreenId::rating)
            screens::rating(v, out, size);
        else if (screen == ScreenId::consult)
            screens::consult(v, out, size);
        else if (screen == ScreenId::receipt)
            screens::receipt(v, out, size);
        else if (screen == ScreenId::closed)
            screens::closed(v, out, size);
        else if (screen == ScreenId::lookup)
            screens::lookup(v, out, size);
        else
            screens::document(v, out, size);
    }
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(3);
    if (v.state.counting_down() && v.state.font_problem.empty()) countdown(v, out);
}

}  // namespace kiosk::ui
