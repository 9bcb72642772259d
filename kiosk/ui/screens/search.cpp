// Search: the query, results with highlighted matches, and the on-screen keyboard.
#include <string>

#include "../keyboard.hpp"
#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

namespace {

// Splits text into runs so the matched parts are drawn highlighted.
std::vector<Run> highlighted(const std::string& text, const std::vector<store::Highlight>& hl) {
    std::vector<Run> runs;
    size_t at = 0;
    for (const auto& h : hl) {
        if (h.begin < at || h.end > text.size() || h.begin >= h.end) continue;
        if (h.begin > at) runs.emplace_back(text.substr(at, h.begin - at));
        runs.emplace_back(text.substr(h.begin, h.end - h.begin), false, true);
        at = h.end;
    }
    if (at < text.size()) runs.emplace_back(text.substr(at));
    return runs;
}

void query_field(const View& v, float x, float w) {
    const Metrics& m = v.m;
    ImVec2 top(x, ImGui::GetCursorScreenPos().y);
    float h = m.touch * 1.05f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    fill_rounded(dl, top, ImVec2(x + w, top.y + h), color::surface, 14 * m.unit);
    dl->AddRect(top, ImVec2(x + w, top.y + h), color::accent, 14 * m.unit, 0, 3 * m.unit);
    TextStyle b = body(v);
    float tx = x + b.px * 0.5f, ty = top.y + (h - b.px * 1.2f) / 2;
    const std::string& text = v.state.search.text;
    if (text.empty() && v.ime.preedit.empty()) {
        TextStyle hint = b;
        hint.color = color::text_muted;
        draw_line_clipped("请输入要查找的内容", hint, ImVec2(tx, ty), w - b.px);
    } else {
        float tw = text_width(text, b);
        draw_line_clipped(text, b, ImVec2(tx, ty), w - b.px);
        TextStyle pre = b;
        pre.color = color::accent;
        draw_line_clipped(v.ime.preedit, pre, ImVec2(tx + tw + b.px * 0.2f, ty), w - b.px - tw);
        float caret = tx + tw +
                      (v.ime.preedit.empty() ? 0 : text_width(v.ime.preedit, pre) + b.px * 0.2f) +
                      2;
        dl->AddLine(ImVec2(caret, ty), ImVec2(caret, ty + b.px * 1.2f), color::accent, 3 * m.unit);
    }
    ImGui::SetCursorScreenPos(ImVec2(x, top.y + h + m.gap * 0.6f));
}

void results(const View& v, Actions& out, float x, float w) {
    const Metrics& m = v.m;
    const auto& lib = v.lib;
    TextStyle s = small(v);
    if (lib.search_query.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        draw_wrapped(
            "可以搜索政策、办事指南、收费标准、机构电话和通知，例如“再生育”“证明”“12356”。",
            body(v), w);
        return;
    }
    if (lib.search_hits.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        draw_wrapped("没有找到“" + lib.search_query +
                         "”的相关内容。可以换一个词再试，或回到首页按分类查找；"
                         "也可以拨打 12356 咨询。",
                     body(v), w);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap));
        TextStyle bt = body(v);
        bt.color = color::on_bar;
        if (button("##browse", "按分类查找", ImVec2(std::min(w, 520 * m.unit), m.touch), bt,
                   ButtonLook::accent)) {
            out.push_back(GoHome{});
        }
        return;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    draw_wrapped("找到 " + std::to_string(lib.search_hits.size()) + " 份相关文件", s, w);
    for (size_t i = 0; i < lib.search_hits.size(); ++i) {
        const auto& hit = lib.search_hits[i];
        ImVec2 top(x, ImGui::GetCursorScreenPos().y + m.gap * 0.5f);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        float pad = m.gap;
        ImGui::SetCursorScreenPos(ImVec2(x + pad, top.y + pad * 0.7f));
        TextStyle t = title(v);
        t.px = m.body_px * 1.05f;
        draw_runs(highlighted(hit.title, hit.title_highlights), t, w - 2 * pad,
                  ("t" + std::to_string(i)).c_str());
        ImGui::SetCursorScreenPos(ImVec2(x + pad, ImGui::GetCursorScreenPos().y));
        draw_runs(highlighted(hit.snippet, hit.snippet_highlights), s, w - 2 * pad,
                  ("s" + std::to_string(i)).c_str());
        float bottom = ImGui::GetCursorScreenPos().y + pad * 0.7f;
        dl->ChannelsSetCurrent(0);
        ImGui::SetCursorScreenPos(top);
        std::string id = "##hit" + std::to_string(i);
        bool tapped =
            ImGui::InvisibleButton(id.c_str(), ImVec2(w, bottom - top.y)) && !probe().dragging;
        bool held = ImGui::IsItemActive() && !probe().dragging;
        fill_rounded(dl, top, ImVec2(x + w, bottom), held ? color::surface_pressed : color::surface,
                     14 * m.unit);
        dl->ChannelsMerge();
        probe().add_target(hit.title, top, ImVec2(x + w, bottom));
        if (tapped) out.push_back(OpenDocument{hit.doc_id});
        ImGui::SetCursorScreenPos(ImVec2(x, bottom));
    }
    ImGui::Dummy(ImVec2(1, m.gap));
}

}  // namespace

void search(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float w = std::min(size.x - 2 * m.margin, 1600 * m.unit);
    const float x = origin.x + (size.x - w) / 2;
    const float kb_h = keyboard_height(m);
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + m.gap));
    query_field(v, x, w);
    float list_top = ImGui::GetCursorScreenPos().y;
    float list_h = std::max(m.touch, origin.y + size.y - kb_h - m.gap - list_top);
    ImGui::SetCursorScreenPos(ImVec2(origin.x, list_top));
    begin_scroll("##results", ImVec2(size.x, list_h), m, v.lib.search_edits, 0);
    ImGui::Dummy(ImVec2(1, 1));
    results(v, out, x, w);
    end_scroll(m);
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + size.y - kb_h));
    TextStyle k = body(v);
    k.px = std::min(k.px, m.touch * 0.5f);
    draw_keyboard(v.state.keyboard, v.ime, m, k, w, out);
}

}  // namespace kiosk::ui::screens
