// A document: title and provenance, then the kind's structure (guide, office) and the body.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

namespace {

using content::Block;
using content::BlockKind;

std::vector<Run> runs_of(const std::vector<content::Span>& spans) {
    std::vector<Run> runs;
    for (const auto& s : spans)
        runs.push_back({s.text, s.bold, false, s.link.rfind("doc:", 0) == 0 ? s.link : ""});
    return runs;
}

// Records a tap on a "doc:ID" link as navigation.
void follow(const std::string& link, Actions& out) {
    if (link.rfind("doc:", 0) == 0) out.push_back(OpenDocument{link.substr(4)});
}

// Whole pixels, as every height on a scrolled page: ImGui truncates the cursor after each item,
// which rounds a fraction one way above the screen's top edge and the other way below it, and
// the page's text would shift by a pixel as it scrolls.
void gap(float h) {
    ImGui::Dummy(ImVec2(1, std::round(h)));
}

void section_heading(const View& v, std::string_view text, float x, float w) {
    TextStyle h = title(v);
    h.px = v.m.body_px * 1.15f;
    h.color = color::accent;
    gap(v.m.gap * 1.2f);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    draw_wrapped(text, h, w);
    gap(v.m.gap * 0.4f);
}

// A list with a marker drawn in the margin: a check box, a number in a circle, or a dot.
enum class Marker { check, number, dot };
void marked_item(const View& v, Marker marker, int n, const std::vector<Run>& runs, float x,
                 float w, Actions& out, const char* id) {
    const Metrics& m = v.m;
    TextStyle b = body(v);
    float indent = b.px * 1.6f;
    ImVec2 top(x, ImGui::GetCursorScreenPos().y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 c(top.x + b.px * 0.55f, top.y + b.px * 0.62f);
    if (marker == Marker::check) {
        float r = b.px * 0.36f;
        dl->AddRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), color::accent, r * 0.25f, 0,
                    3 * m.unit);
        dl->AddLine(ImVec2(c.x - r * 0.55f, c.y), ImVec2(c.x - r * 0.1f, c.y + r * 0.45f),
                    color::accent, 3 * m.unit);
        dl->AddLine(ImVec2(c.x - r * 0.1f, c.y + r * 0.45f), ImVec2(c.x + r * 0.6f, c.y - r * 0.5f),
                    color::accent, 3 * m.unit);
    } else if (marker == Marker::number) {
        float r = b.px * 0.5f;
        dl->AddCircleFilled(c, r, color::accent);
        TextStyle num = small(v);
        num.color = color::on_bar;
        std::string label = std::to_string(n);
        float tw = text_width(label, num);
        draw_line_clipped(label, num, ImVec2(c.x - tw / 2, c.y - num.px * 0.62f), tw + 2);
    } else {
        dl->AddCircleFilled(c, b.px * 0.14f, color::text);
    }
    ImGui::SetCursorScreenPos(ImVec2(x + indent, top.y));
    follow(draw_runs(runs, b, w - indent, id), out);
    gap(m.gap * 0.35f);
}

void table(const View& v, const Block& t, float x, float w, Actions& out, int index) {
    const Metrics& m = v.m;
    if (t.columns == 0) return;
    TextStyle b = body(v);
    b.px = std::max(v.m.small_px, v.m.body_px * 0.85f);
    b.font = v.fonts.body;
    const float pad = b.px * 0.4f;
    // Natural width of each column (its longest cell on one line), then fit to the page.
    std::vector<float> natural(t.columns, b.px * 2);
    for (const auto& row : t.rows) {
        for (size_t c = 0; c < row.cells.size() && c < t.columns; ++c) {
            std::string s;
            for (const auto& sp : row.cells[c].spans)
                s += sp.text;
            natural[c] = std::max(natural[c], std::min(text_width(s, b), b.px * 14) + 2 * pad);
        }
    }
    float total = 0;
    for (float n : natural)
        total += n;
    float min_col = b.px * 3.2f + 2 * pad;
    std::vector<float> cols = natural;
    if (total > w) {
        // Shrink wide columns first; never below three characters.
        float excess = total - w;
        for (int pass = 0; pass < 4 && excess > 0.5f; ++pass) {
            float shrinkable = 0;
            for (float c : cols)
                shrinkable += std::max(0.0f, c - min_col);
            if (shrinkable <= 0) break;
            float ratio = std::min(1.0f, excess / shrinkable);
            for (float& c : cols) {
                float cut = std::max(0.0f, c - min_col) * ratio;
                c -= cut;
                excess -= cut;
            }
        }
    }
    float table_w = 0;
    for (float c : cols)
        table_w += c;
    // Wider than the page: the table scrolls sideways in its own area.
    bool sideways = table_w > w + 1;
    ImVec2 start(x, ImGui::GetCursorScreenPos().y);
    if (sideways) {
        // The child needs its height up front (0 would mean "the rest of the page"): measure
        // every row as it will be drawn.
        float table_h = 0;
        for (const auto& row : t.rows) {
            float row_h = 0;
            for (size_t c = 0; c < t.columns && c < row.cells.size(); ++c) {
                std::string text;
                for (const auto& sp : row.cells[c].spans)
                    text += sp.text;
                row_h = std::max(row_h, wrapped_height(text, b, cols[c] - 2 * pad) + 2 * pad);
            }
            table_h += std::max(row_h, line_height(b) + 2 * pad);
        }
        std::string id = "##table" + std::to_string(index);
        ImGui::SetCursorScreenPos(start);
        float pan = begin_pan(id.c_str(), ImVec2(w, table_h + 2 + 16 * m.unit), table_w + 2, m,
                              std::hash<std::string>{}(v.lib.doc_id));
        start.x -= pan;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float y = start.y;
    for (size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        float row_h = 0;
        float cx = start.x;
        ImVec2 row_top(start.x, y);
        // Draw cells, measuring the tallest; fill drawn behind after (channels keep order).
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        for (size_t c = 0; c < t.columns; ++c) {
            ImGui::SetCursorScreenPos(ImVec2(cx + pad, y + pad));
            TextStyle cs = b;
            std::vector<Run> runs =
                c < row.cells.size() ? runs_of(row.cells[c].spans) : std::vector<Run>{};
            if (row.header)
                for (auto& run : runs)
                    run.bold = true;
            std::string id =
                "t" + std::to_string(index) + "-" + std::to_string(r) + "-" + std::to_string(c);
            follow(draw_runs(runs.empty() ? std::vector<Run>{{" "}} : runs, cs, cols[c] - 2 * pad,
                             id.c_str()),
                   out);
            row_h = std::max(row_h, ImGui::GetCursorScreenPos().y - y + pad);
            cx += cols[c];
        }
        dl->ChannelsSetCurrent(0);
        ImU32 fill = row.header ? color::accent_soft
                                : (r % 2 ? IM_COL32(250, 248, 244, 255) : color::surface);
        dl->AddRectFilled(row_top, ImVec2(start.x + table_w, y + row_h), fill);
        cx = start.x;
        for (size_t c = 0; c <= t.columns; ++c) {
            dl->AddLine(ImVec2(cx, y), ImVec2(cx, y + row_h), color::border, 1.5f * m.unit);
            if (c < t.columns) cx += cols[c];
        }
        dl->AddLine(ImVec2(start.x, y), ImVec2(start.x + table_w, y), color::border, 1.5f * m.unit);
        dl->ChannelsMerge();
        y += row_h;
    }
    dl->AddLine(ImVec2(start.x, y), ImVec2(start.x + table_w, y), color::border, 1.5f * m.unit);
    ImGui::SetCursorScreenPos(ImVec2(start.x, y));
    ImGui::Dummy(ImVec2(table_w, 1));
    if (sideways) {
        end_pan(m);
        TextStyle hint = small(v);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + m.gap * 0.3f));
        draw_wrapped("表格较宽，可用手指左右拖动查看。", hint, w);
    }
    gap(m.gap);
}

// Label-and-value items ("施行日期：2026-01-01") side by side, wrapping between items and never
// inside one, so a label does not end a line without its value (unless one item is wider than
// the whole line, which then wraps on its own).
void draw_items(const std::vector<std::string>& items, const TextStyle& s, float x, float w) {
    const float lh = line_height(s), sep = text_width("　", s);
    float y = ImGui::GetCursorScreenPos().y, cx = 0;
    for (const auto& item : items) {
        const float iw = text_width(item, s);
        if (cx > 0 && cx + sep + iw > w) y += lh, cx = 0;
        if (cx > 0) cx += sep;
        if (iw > w) {
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            draw_wrapped(item, s, w);
            y = ImGui::GetCursorScreenPos().y, cx = 0;
            continue;
        }
        draw_line_clipped(item, s, ImVec2(x + cx, y), iw + 1);
        cx += iw;
    }
    if (cx > 0) y += lh;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
}

void body_blocks(const View& v, float x, float w, Actions& out) {
    const Metrics& m = v.m;
    int index = 0;
    for (const Block& b : v.lib.model.blocks) {
        ++index;
        std::string id = "b" + std::to_string(index);
        switch (b.kind) {
        case BlockKind::heading: {
            TextStyle h = title(v);
            h.px = b.level <= 1   ? v.m.title_px
                   : b.level == 2 ? v.m.body_px * 1.18f
                                  : v.m.body_px * 1.05f;
            gap(m.gap * (b.level <= 2 ? 1.4f : 0.9f));
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
            follow(draw_runs(runs_of(b.spans), h, w, id.c_str()), out);
            gap(m.gap * 0.5f);
            break;
        }
        case BlockKind::paragraph:
        case BlockKind::quote:
        case BlockKind::code:
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
            follow(draw_runs(runs_of(b.spans), body(v), w, id.c_str()), out);
            gap(m.gap * 0.8f);
            break;
        case BlockKind::list_item: {
            float indent = (std::max(1, b.level) - 1) * body(v).px * 1.6f;
            marked_item(v, b.ordered ? Marker::number : Marker::dot, b.number, runs_of(b.spans),
                        x + indent, w - indent, out, id.c_str());
            break;
        }
        case BlockKind::table:
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
            table(v, b, x, w, out, index);
            break;
        case BlockKind::image: {
            TextStyle s = small(v);
            ImVec2 top(x, ImGui::GetCursorScreenPos().y);
            ImageRef img = v.image ? v.image(b.image) : ImageRef{};
            if (img.ok && img.width > 0) {
                float scale = std::min(1.0f, w / img.width) * std::max(1.0f, m.unit);
                scale = std::min(scale, w / img.width);
                ImVec2 size(img.width * scale, img.height * scale);
                ImGui::GetWindowDrawList()->AddImage(img.texture, top,
                                                     ImVec2(top.x + size.x, top.y + size.y));
                ImGui::SetCursorScreenPos(ImVec2(x, top.y + size.y + m.gap * 0.3f));
                if (!b.alt.empty()) draw_wrapped(b.alt, s, w);
            } else {
                // Missing or damaged: a calm box with the caption keeps the page honest.
                float h = s.px * 3;
                ImGui::GetWindowDrawList()->AddRect(top, ImVec2(x + w, top.y + h), color::border,
                                                    8 * m.unit, 0, 2);
                draw_line_clipped("图片无法显示：" + (b.alt.empty() ? b.image : b.alt), s,
                                  ImVec2(x + s.px, top.y + s.px * 0.9f), w - 2 * s.px);
                ImGui::SetCursorScreenPos(ImVec2(x, top.y + h));
            }
            gap(m.gap);
            break;
        }
        case BlockKind::rule: {
            ImVec2 p(x, ImGui::GetCursorScreenPos().y + m.gap * 0.5f);
            ImGui::GetWindowDrawList()->AddLine(p, ImVec2(x + w, p.y), color::border, 2 * m.unit);
            gap(m.gap);
            break;
        }
        }
    }
}

void guide_sections(const View& v, const store::GuideFields& g, float x, float w, Actions& out) {
    auto checklist = [&](std::string_view heading, const std::vector<std::string>& items,
                         const char* id) {
        if (items.empty()) return;
        section_heading(v, heading, x, w);
        int n = 0;
        for (const auto& item : items) {
            std::string iid = std::string(id) + std::to_string(++n);
            marked_item(v, Marker::check, n, {{item}}, x, w, out, iid.c_str());
        }
    };
    checklist("办理条件", g.conditions, "cond");
    checklist("所需材料", g.materials, "mat");
    if (!g.steps.empty()) {
        section_heading(v, "办理流程", x, w);
        int n = 0;
        for (const auto& s : g.steps) {
            std::string iid = "step" + std::to_string(++n);
            marked_item(v, Marker::number, n, {{s.title + "：", true}, {s.detail}}, x, w, out,
                        iid.c_str());
        }
    }
    section_heading(v, "办理时限", x, w);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    draw_wrapped(g.time_limit, body(v), w);
    section_heading(v, "收费标准", x, w);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    draw_wrapped(g.fee, body(v), w);
    if (!g.basis.empty()) {
        section_heading(v, "法律依据", x, w);
        int n = 0;
        for (const auto& b : g.basis) {
            std::string iid = "basis" + std::to_string(++n);
            marked_item(v, Marker::dot, n,
                        {{b.title, false, false, b.doc.empty() ? "" : "doc:" + b.doc}}, x, w, out,
                        iid.c_str());
        }
    }
    if (!g.office.empty()) {
        section_heading(v, "承办机构", x, w);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        TextStyle b = body(v);
        if (button("##office", "查看承办机构的地址、电话和办公时间", ImVec2(w, v.m.touch), b)) {
            out.push_back(OpenDocument{g.office});
        }
    }
}

void office_card(const View& v, const store::OfficeFields& o, float x, float w, Actions& out) {
    const Metrics& m = v.m;
    ImVec2 top(x, ImGui::GetCursorScreenPos().y + m.gap);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    float pad = m.gap * 1.2f;
    ImGui::SetCursorScreenPos(ImVec2(x + pad, top.y + pad));
    TextStyle b = body(v);
    TextStyle label = small(v);
    label.color = color::accent;
    for (const auto& [name, value] :
         {std::pair{"地址", o.address}, {"电话", o.phone}, {"办公时间", o.hours}}) {
        ImGui::SetCursorScreenPos(ImVec2(x + pad, ImGui::GetCursorScreenPos().y));
        draw_wrapped(name, label, w - 2 * pad);
        ImGui::SetCursorScreenPos(ImVec2(x + pad, ImGui::GetCursorScreenPos().y));
        draw_wrapped(value, b, w - 2 * pad);
        gap(m.gap * 0.5f);
    }
    float bottom = ImGui::GetCursorScreenPos().y + pad * 0.5f;
    dl->ChannelsSetCurrent(0);
    fill_rounded(dl, top, ImVec2(x + w, bottom), color::surface, 16 * m.unit);
    dl->AddRect(top, ImVec2(x + w, bottom), color::border, 16 * m.unit, 0, 2);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(x, bottom));
    if (!o.duties.empty()) {
        section_heading(v, "职责", x, w);
        int n = 0;
        for (const auto& d : o.duties) {
            std::string iid = "duty" + std::to_string(++n);
            marked_item(v, Marker::dot, n, {{d}}, x, w, out, iid.c_str());
        }
    }
}

}  // namespace

void document(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const Place& here = v.state.here();
    float offset = begin_scroll("##doc", size, m, v.state.generation, here.scroll);
    if (std::abs(offset - here.scroll) > 1 && !probe().dragging) out.push_back(SaveScroll{offset});
    float w = std::min(size.x - 2 * m.margin, 1500 * m.unit);
    float x = ImGui::GetWindowPos().x + (size.x - w) / 2;
    gap(m.margin * 0.6f);
    if (!v.lib.doc) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        draw_wrapped(v.lib.problem.empty() ? "正在打开……" : v.lib.problem, body(v), w);
        end_scroll(m);
        return;
    }
    const auto& d = *v.lib.doc;
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    draw_wrapped(d.summary.title, title(v), w);
    gap(m.gap * 0.5f);
    TextStyle s = small(v);
    std::vector<std::string> prov = {"发布机关：" + d.issuer, "更新日期：" + d.summary.updated};
    if (!d.effective.empty()) prov.push_back("施行日期：" + d.effective);
    prov.push_back("内容版本：" + std::to_string(v.lib.meta.version) + "（" +
                   v.lib.meta.created.substr(0, 10) + "）");
    draw_items(prov, s, x, w);
    if (!d.provenance.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        draw_wrapped(d.provenance, s, w);
    }
    ImVec2 rule(x, ImGui::GetCursorScreenPos().y + m.gap * 0.6f);
    ImGui::GetWindowDrawList()->AddLine(rule, ImVec2(x + w, rule.y), color::border, 2 * m.unit);
    gap(m.gap * 1.2f);
    if (d.office) office_card(v, *d.office, x, w, out);
    if (d.guide) guide_sections(v, *d.guide, x, w, out);
    // The body gets a heading of its own unless it starts with one.
    const auto& blocks = v.lib.model.blocks;
    if (d.guide && !blocks.empty() && blocks.front().kind != content::BlockKind::heading)
        section_heading(v, "说明", x, w);
    body_blocks(v, x, w, out);
    gap(m.margin * 2);
    end_scroll(m);
}

}  // namespace kiosk::ui::screens
