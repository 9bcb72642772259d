// Text drawing: lines come from text::break_lines (禁则 rules), cached per width and size.
#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "fonts.hpp"
#include "probe.hpp"
#include "text/line_break.hpp"
#include "util/utf8.hpp"

namespace kiosk::ui {

namespace {

// The advances of text's characters, known before it is laid out (the glyph cache loads them
// without rasterising: a long document's characters need not all be in the texture).
void need_metrics(const TextStyle& style, std::string_view s) {
    if (GlyphCache* c = current_glyph_cache()) c->need_metrics(style.font, s);
}

text::AdvanceFn advance_for(const TextStyle& style) {
    ImFont* font = style.font;
    float scale = style.px / font->FontSize;
    return [font, scale](char32_t c) {
        ImWchar w = c <= 0xFFFF ? static_cast<ImWchar>(c) : static_cast<ImWchar>(0xFFFD);
        return font->GetCharAdvance(w) * scale;
    };
}

// One cache per font (the key holds the size, not the font): a long document's paragraphs are
// laid out once per width and size, not every frame.
std::unordered_map<const ImFont*, text::LineBreakCache>& caches() {
    static std::unordered_map<const ImFont*, text::LineBreakCache> all;
    return all;
}

text::LineBreakCache& cache(const ImFont* font) {
    auto& caches = ui::caches();
    auto it = caches.find(font);
    if (it == caches.end()) it = caches.emplace(font, text::LineBreakCache(8192)).first;
    return it->second;
}

// Where line n of a paragraph starts: a whole number of pixels below the first, so each line keeps
// its place relative to the paragraph wherever the page is scrolled (float sums of fractional
// line heights round differently at different positions, and a line would jump by a pixel).
float line_y(float top, float lh, int n) {
    return top + std::round(lh * static_cast<float>(n));
}

// ImGui's AddText takes UTF-8 but only BMP glyphs; characters outside draw as U+FFFD.
// Text starts on whole pixels: glyphs are then copied texel for texel, crisp with either
// renderer, instead of being filtered between texels.
// Lines outside the clip rectangle are skipped (ImGui would drop them too), so only what shows
// is rasterised into the glyph cache.
void add_text(ImDrawList* dl, const TextStyle& st, ImVec2 pos, ImU32 col, std::string_view s) {
    const ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
    if (pos.y - 1 > clip_max.y || pos.y + st.px * 1.5f + 1 < clip_min.y) return;
    if (GlyphCache* c = current_glyph_cache()) c->need_glyphs(st.font, s);
    dl->AddText(st.font, st.px, ImVec2(std::round(pos.x), std::round(pos.y)), col, s.data(),
                s.data() + s.size());
}

}  // namespace

void forget_fonts() {
    caches().clear();
}

float line_height(const TextStyle& style) {
    return style.px * (1 + style.line_gap);
}

float text_width(std::string_view s, const TextStyle& style) {
    need_metrics(style, s);
    auto adv = advance_for(style);
    float w = 0;
    for (size_t i = 0; i < s.size();)
        w += adv(util::next_code_point(s, i));
    return w;
}

float wrapped_height(std::string_view s, const TextStyle& style, float width) {
    need_metrics(style, s);
    const auto& lines = cache(style.font).lines(s, width, style.px, advance_for(style));
    return std::max<size_t>(1, lines.size()) * line_height(style);
}

float draw_wrapped(std::string_view s, const TextStyle& style, float width) {
    need_metrics(style, s);
    const auto& lines = cache(style.font).lines(s, width, style.px, advance_for(style));
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float lh = line_height(style);
    float y = origin.y;
    int n = 0;
    for (const auto& line : lines) {
        std::string_view part = s.substr(line.begin, line.end - line.begin);
        ImVec2 p(origin.x, line_y(origin.y, lh, n++));
        add_text(dl, style, p, style.color, part);
        probe().add_text(part, p, ImVec2(p.x + line.width, p.y + lh));
        y = origin.y + lh * static_cast<float>(n);
    }
    float h = std::max(lh, y - origin.y);
    ImGui::Dummy(ImVec2(width, std::round(h)));  // (whole pixels: see line_y)
    return h;
}

ImVec2 caret_spot(std::string_view s, const TextStyle& style, float width, size_t caret) {
    const auto& lines = cache(style.font).lines(s, width, style.px, advance_for(style));
    size_t at = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].begin <= caret) at = i;
    }
    if (lines.empty()) return ImVec2(0, 0);
    const auto& line = lines[at];
    size_t end = std::min<size_t>(std::max<size_t>(caret, line.begin), line.end);
    return ImVec2(text_width(s.substr(line.begin, end - line.begin), style),
                  static_cast<float>(at) * line_height(style));
}

size_t offset_at(std::string_view s, const TextStyle& style, float width, ImVec2 local) {
    const auto& lines = cache(style.font).lines(s, width, style.px, advance_for(style));
    if (lines.empty()) return 0;
    long row = static_cast<long>(std::floor(local.y / line_height(style)));
    const auto& line =
        lines[static_cast<size_t>(std::clamp(row, 0L, static_cast<long>(lines.size()) - 1))];
    auto adv = advance_for(style);
    float x = 0;
    for (size_t i = line.begin; i < line.end;) {
        size_t next = i;
        float w = adv(util::next_code_point(s, next));
        if (local.x < x + w / 2) return i;
        x += w;
        i = next;
    }
    return line.end;
}

std::string draw_runs(const std::vector<Run>& runs, const TextStyle& style, float width,
                      const char* id) {
    // Wrap the concatenation, then draw each line piece by piece in its run's look.
    std::string all;
    std::vector<size_t> starts;
    for (const auto& r : runs) {
        starts.push_back(all.size());
        all += r.text;
    }
    need_metrics(style, all);
    const auto& lines = cache(style.font).lines(all, width, style.px, advance_for(style));
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float lh = line_height(style);
    auto adv = advance_for(style);
    std::string tapped;
    float y = origin.y;
    int n = 0;
    for (const auto& line : lines) {
        y = line_y(origin.y, lh, n++);
        float x = origin.x;
        size_t at = line.begin;
        while (at < line.end) {
            size_t r = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), at) -
                                           starts.begin()) -
                       1;
            size_t run_end = std::min(line.end, starts[r] + runs[r].text.size());
            std::string_view piece(all.data() + at, run_end - at);
            float w = 0;
            for (size_t i = 0; i < piece.size();)
                w += adv(util::next_code_point(piece, i));
            const Run& run = runs[r];
            ImVec2 p(x, y);
            if (run.highlight)
                dl->AddRectFilled(p, ImVec2(x + w, y + style.px * 1.12f),
                                  IM_COL32(255, 214, 102, 255));
            ImU32 col = run.link.empty() ? style.color : IM_COL32(20, 84, 160, 255);
            add_text(dl, style, p, col, piece);
            if (run.bold)
                add_text(dl, style, ImVec2(x + std::max(1.0f, style.px / 40), y), col, piece);
            if (!run.link.empty()) {
                float uy = y + style.px * 1.08f;
                dl->AddLine(ImVec2(x, uy), ImVec2(x + w, uy), col, std::max(1.5f, style.px / 24));
                ImGui::SetCursorScreenPos(ImVec2(x, y));
                ImGui::PushID(id);
                ImGui::PushID(static_cast<int>(at));
                if (ImGui::InvisibleButton("link", ImVec2(std::max(w, 1.0f), lh)) &&
                    !probe().dragging) {
                    tapped = run.link;
                }
                ImGui::PopID();
                ImGui::PopID();
                probe().add_target(piece, p, ImVec2(x + w, y + lh));
            }
            probe().add_text(piece, p, ImVec2(x + w, y + lh));
            x += w;
            at = run_end;
        }
    }
    y = origin.y + lh * static_cast<float>(n);
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(ImVec2(width, std::round(std::max(lh, y - origin.y))));
    return tapped;
}

void draw_wrapped_at(std::string_view s, const TextStyle& style, ImVec2 pos, float width,
                     int max_lines) {
    if (max_lines <= 0) return;
    need_metrics(style, s);
    const auto& lines = cache(style.font).lines(s, width, style.px, advance_for(style));
    const float lh = line_height(style);
    for (size_t i = 0; i < lines.size() && i < static_cast<size_t>(max_lines); ++i) {
        ImVec2 p(pos.x, line_y(pos.y, lh, static_cast<int>(i)));
        bool last_shown = i + 1 == static_cast<size_t>(max_lines) && lines.size() > i + 1;
        if (last_shown) {
            // The rest of the text on one line, cut with an ellipsis.
            draw_line_clipped(s.substr(lines[i].begin), style, p, width);
        } else {
            std::string_view part = s.substr(lines[i].begin, lines[i].end - lines[i].begin);
            add_text(ImGui::GetWindowDrawList(), style, p, style.color, part);
            probe().add_text(part, p, ImVec2(p.x + lines[i].width, p.y + lh));
        }
    }
}

void draw_line_clipped(std::string_view s, const TextStyle& style, ImVec2 pos, float max_width) {
    need_metrics(style, s);
    need_metrics(style, "…");
    auto adv = advance_for(style);
    float ell = adv(U'…');
    float w = 0;
    size_t cut = s.size();
    for (size_t i = 0; i < s.size();) {
        size_t before = i;
        float a = adv(util::next_code_point(s, i));
        if (w + a > max_width) {
            cut = before;
            break;
        }
        w += a;
    }
    std::string shown(s);
    if (cut < s.size()) {
        // Step back until the ellipsis fits too.
        std::string_view head = s.substr(0, cut);
        float hw = text_width(head, style);
        while (!head.empty() && hw + ell > max_width) {
            size_t back = head.size() - 1;
            while (back > 0 && (static_cast<unsigned char>(head[back]) & 0xC0) == 0x80)
                --back;
            head = head.substr(0, back);
            hw = text_width(head, style);
        }
        shown = std::string(head) + "…";
    }
    add_text(ImGui::GetWindowDrawList(), style, pos, style.color, shown);
    probe().add_text(shown, pos, ImVec2(pos.x + max_width, pos.y + line_height(style)));
}

}  // namespace kiosk::ui
