// The on-screen keyboard. Keys are labelled with what they type, so replay scripts tap them by
// label; candidates are also registered as "#cand1", "#cand2", … for `pinyin "shenpi" N`.
#include "keyboard.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "probe.hpp"
#include "widgets.hpp"

namespace kiosk::ui {

namespace {

const char* const kLetterRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
const char* const kDigitRows[] = {"1234567890"};

float key_width(const Metrics& m, float width) {
    return (width - 9 * m.gap * 0.5f) / 10;
}

// The writing pad: a finger's stroke is collected while it is down and recorded as one PadStroke
// when it lifts; the strokes already written come back from the input controller to be drawn.
void writing_pad(const ImeView& ime, const Metrics& m, ImVec2 min, ImVec2 size, Actions& out) {
    static std::vector<std::array<float, 2>> stroke;  // the one being written (one pad on screen)
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max(min.x + size.x, min.y + size.y);
    fill_rounded(dl, min, max, color::surface, 12 * m.unit);
    dl->AddRect(min, max, color::border, 12 * m.unit, 0, 2 * m.unit);
    // A faint cross helps the hand place a character in the middle.
    const ImU32 guide = IM_COL32(222, 216, 204, 160);
    dl->AddLine(ImVec2(min.x + size.x / 2, min.y + 8), ImVec2(min.x + size.x / 2, max.y - 8),
                guide);
    dl->AddLine(ImVec2(min.x + 8, min.y + size.y / 2), ImVec2(max.x - 8, min.y + size.y / 2),
                guide);
    ImGui::SetCursorScreenPos(min);
    ImGui::InvisibleButton("##pad", size);
    probe().add_target("#pad", min, max);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (ImGui::IsItemActive()) {
        std::array<float, 2> p{std::clamp(mouse.x - min.x, 0.f, size.x),
                               std::clamp(mouse.y - min.y, 0.f, size.y)};
        if (stroke.empty() ||
            std::abs(p[0] - stroke.back()[0]) + std::abs(p[1] - stroke.back()[1]) >= 2)
            stroke.push_back(p);
        probe().animating = true;
    } else if (!stroke.empty()) {
        out.push_back(PadStroke{stroke, size.x, size.y});
        stroke.clear();
    }
    const float thick = 7 * m.unit;
    auto draw = [&](const std::vector<std::array<float, 2>>& pts, float sx, float sy) {
        std::vector<ImVec2> line;
        for (const auto& p : pts)
            line.emplace_back(min.x + p[0] * sx, min.y + p[1] * sy);
        if (line.size() > 1)
            dl->AddPolyline(line.data(), static_cast<int>(line.size()), color::text, 0, thick);
        if (pts.size() == 1)
            dl->AddCircleFilled(ImVec2(min.x + pts[0][0] * sx, min.y + pts[0][1] * sy), thick / 2,
                                color::text);
    };
    const float sx = ime.ink_w > 0 ? size.x / ime.ink_w : 1,
                sy = ime.ink_h > 0 ? size.y / ime.ink_h : 1;
    for (const auto& s : ime.ink)
        draw(s, sx, sy);
    draw(stroke, 1, 1);
}

}  // namespace

float keyboard_height(const Metrics& m) {
    return m.touch * 5 + m.gap * 0.5f * 4 + m.gap;  // candidate bar + 4 rows of keys
}

void draw_keyboard(const KeyboardState& kb, const ImeView& ime, const Metrics& m,
                   const TextStyle& key_text, float width, Actions& out, bool digits_only,
                   bool with_x) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float kg = m.gap * 0.5f;
    const float kw = key_width(m, width);
    const float kh = m.touch;
    const InputMode mode = digits_only ? InputMode::digits : kb.mode;
    const bool pinyin = mode == InputMode::pinyin;
    const bool writing = mode == InputMode::handwriting;

    // Candidate bar: the spelling being composed, then candidates, with page arrows.
    float y = origin.y;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    fill_rounded(dl, ImVec2(origin.x, y), ImVec2(origin.x + width, y + kh), color::accent_soft,
                 12 * m.unit);
    if ((pinyin || writing) && !ime.candidates.empty()) {
        TextStyle pre = key_text;
        pre.px = m.small_px;
        pre.color = color::accent;
        float x = origin.x + kg;
        if (!ime.preedit.empty()) {
            float pw = std::min(text_width(ime.preedit, pre) + kg, width * 0.25f);
            draw_line_clipped(ime.preedit, pre, ImVec2(x, y + (kh - pre.px * 1.2f) / 2), pw);
            x += pw + kg;
        }
        const float arrow = kw * 0.9f;
        float right = origin.x + width - (ime.predictions || writing ? 0 : 2 * (arrow + kg));
        for (size_t i = 0; i < ime.candidates.size(); ++i) {
            const std::string& c = ime.candidates[i];
            float cw = std::max(kw, text_width(c, key_text) + key_text.px);
            if (x + cw > right) break;
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            std::string id = "##cand" + std::to_string(i);
            if (button(id.c_str(), c, ImVec2(cw, kh), key_text))
                out.push_back(PickCandidate{ime.first + i});
            probe().add_target("#cand" + std::to_string(i + 1), ImVec2(x, y),
                               ImVec2(x + cw, y + kh));
            x += cw + kg;
        }
        if (!ime.predictions && !writing) {
            ImGui::SetCursorScreenPos(ImVec2(right + kg, y));
            if (button("##prev", "上一页", ImVec2(arrow, kh), key_text))
                out.push_back(CandidatePage{-1});
            ImGui::SetCursorScreenPos(ImVec2(right + arrow + 2 * kg, y));
            if (button("##next", "下一页", ImVec2(arrow, kh), key_text))
                out.push_back(CandidatePage{+1});
        }
    } else {
        TextStyle hint = key_text;
        hint.px = m.small_px;
        hint.color = color::text_muted;
        const char* text =
            writing ? (ime.handwriting_available ? "在下面的方框里写一个字，写完在这里点选"
                                                 : "手写输入暂不可用，请用拼音、ABC 或 123")
            : digits_only   ? "请用数字键输入"
            : !pinyin       ? ""
            : ime.available ? "输入拼音，例如 shenpi（审批）、dengji（登记）"
                            : "拼音输入暂不可用，请用手写、ABC 或 123";
        draw_line_clipped(text, hint, ImVec2(origin.x + kg * 2, y + (kh - hint.px * 1.2f) / 2),
                          width - kg * 4);
    }
    y += kh + m.gap;

    // Keys.
    auto key = [&](const std::string& id, const std::string& label, const std::string& value,
                   float x, float w, ButtonLook look = ButtonLook::plain) {
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        TextStyle t = key_text;
        if (look == ButtonLook::accent) t.color = color::on_bar;
        if (button(("##key-" + id).c_str(), label, ImVec2(w, kh), t, look))
            out.push_back(Key{value});
    };
    if (writing) {
        // The pad takes the three rows' height; its buttons stand to its right.
        const float ph = 3 * kh + 2 * kg;
        const float pw = std::min(width * 0.62f, ph * 1.6f);
        writing_pad(ime, m, ImVec2(origin.x, y), ImVec2(pw, ph), out);
        const float bx = origin.x + pw + kg * 2, bw = origin.x + width - bx;
        auto side = [&](const char* id, const char* label, Action a, float row) {
            ImGui::SetCursorScreenPos(ImVec2(bx, y + row * (kh + kg)));
            if (button(id, label, ImVec2(bw, kh), key_text)) out.push_back(std::move(a));
        };
        side("##undo-stroke", "撤销一笔", PadUndo{}, 0);
        side("##clear-pad", "重写", PadClear{}, 1);
        side("##key-backspace", "删除", Key{"backspace"}, 2);
        y += 3 * (kh + kg);
    } else if (mode == InputMode::digits) {
        // A phone-style number pad when only digits belong; a row of digits otherwise.
        if (digits_only) {
            const float nw = (width - 3 * kg) / 4;
            const char* rows[] = {"123", "456", "789"};
            for (int r = 0; r < 3; ++r) {
                for (int c = 0; c < 3; ++c) {
                    std::string d(1, rows[r][c]);
                    key(d, d, d, origin.x + c * (nw + kg), nw);
                }
                if (r == 0) key("backspace", "删除", "backspace", origin.x + 3 * (nw + kg), nw);
                if (r == 1) key("clear", "清空", "clear", origin.x + 3 * (nw + kg), nw);
                if (r == 2 && with_x) key("x", "X", "X", origin.x + 3 * (nw + kg), nw);
                y += kh + kg;
            }
            key("0", "0", "0", origin.x + (nw + kg), nw);
            ImGui::SetCursorScreenPos(ImVec2(origin.x, y + kh));
            return;
        }
        for (const char* row : kDigitRows) {
            float x = origin.x;
            for (const char* c = row; *c; ++c, x += kw + kg)
                key(std::string(1, *c), std::string(1, *c), std::string(1, *c), x, kw);
            y += kh + kg;
        }
        y += 2 * (kh + kg);
    } else {
        for (int r = 0; r < 3; ++r) {
            const std::string row = kLetterRows[r];
            float x = origin.x + (10 - static_cast<float>(row.size())) * (kw + kg) / 2;
            for (char c : row) {
                std::string s(1, c);
                key(s, mode == InputMode::abc ? std::string(1, static_cast<char>(c - 32)) : s, s, x,
                    kw);
                x += kw + kg;
            }
            y += kh + kg;
        }
    }
    // Bottom row: modes, space, delete, clear.
    float x = origin.x;
    const float mode_w = kw * 1.25f;
    struct ModeKey {
        const char* id;
        const char* label;
        InputMode mode;
    };
    const ModeKey modes[] = {{"pinyin", "拼音", InputMode::pinyin},
                             {"handwriting", "手写", InputMode::handwriting},
                             {"abc", "ABC", InputMode::abc},
                             {"digits", "123", InputMode::digits}};
    for (const ModeKey& mk : modes) {
        key(std::string("mode-") + mk.id, mk.label, std::string("mode:") + mk.id, x, mode_w,
            mode == mk.mode ? ButtonLook::accent : ButtonLook::plain);
        x += mode_w + kg;
    }
    float rest = origin.x + width - x;
    float small = kw * 1.3f;
    key("space", "空格", "space", x, rest - (writing ? small + kg : 2 * (small + kg)));
    if (!writing) key("backspace", "删除", "backspace", origin.x + width - 2 * small - kg, small);
    key("clear", "清空", "clear", origin.x + width - small, small);
    ImGui::SetCursorScreenPos(ImVec2(origin.x, y + kh));
}

}  // namespace kiosk::ui
