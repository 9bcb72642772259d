// The on-screen keyboard. Keys are labelled with what they type, so replay scripts tap them by
// label; candidates are also registered as "#cand1", "#cand2", … for `pinyin "shenpi" N`.
#include "keyboard.hpp"

#include <imgui_internal.h>  // ImTextCharFromUtf8

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

// Whether the font can draw every character of `s` (not the □ placeholder).
bool has_glyphs(const ImFont* font, std::string_view s) {
    const char* p = s.data();
    const char* end = p + s.size();
    while (p < end) {
        unsigned int c = 0;
        const int n = ImTextCharFromUtf8(&c, p, end);
        if (n <= 0) break;
        if (c > 0xFFFF || !font->FindGlyphNoFallback(static_cast<ImWchar>(c))) return false;
        p += n;
    }
    return true;
}

}  // namespace

float keyboard_height(const Metrics& m) {
    return m.touch * 5 + m.gap * 0.5f * 4 + m.gap;  // candidate bar + 4 rows of keys
}

void draw_keyboard(const SearchState& search, const ImeView& ime, const Metrics& m,
                   const TextStyle& key_text, float width, Actions& out) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float kg = m.gap * 0.5f;
    const float kw = key_width(m, width);
    const float kh = m.touch;
    const bool pinyin = search.mode == SearchState::Mode::pinyin;

    // Candidate bar: the spelling being composed, then candidates, with page arrows.
    float y = origin.y;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    fill_rounded(dl, ImVec2(origin.x, y), ImVec2(origin.x + width, y + kh), color::accent_soft,
                 12 * m.unit);
    if (pinyin && !ime.candidates.empty()) {
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
        float right = origin.x + width - (ime.predictions ? 0 : 2 * (arrow + kg));
        for (size_t i = 0; i < ime.candidates.size(); ++i) {
            const std::string& c = ime.candidates[i];
            float cw = std::max(kw, text_width(c, key_text) + key_text.px);
            if (x + cw > right) break;
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            std::string id = "##cand" + std::to_string(i);
            const bool blank = ime.glyphs_arriving && !has_glyphs(key_text.font, c);
            if (button(id.c_str(), blank ? std::string_view() : std::string_view(c), ImVec2(cw, kh),
                       key_text))
                out.push_back(PickCandidate{ime.first + i});
            probe().add_target("#cand" + std::to_string(i + 1), ImVec2(x, y),
                               ImVec2(x + cw, y + kh));
            x += cw + kg;
        }
        if (!ime.predictions) {
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
        const char* text = !pinyin         ? ""
                           : ime.available ? "输入拼音，例如 shenpi（审批）、dengji（登记）"
                                           : "拼音输入暂不可用，请用 ABC 或 123";
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
    if (search.mode == SearchState::Mode::digits) {
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
                key(s,
                    search.mode == SearchState::Mode::abc
                        ? std::string(1, static_cast<char>(c - 32))
                        : s,
                    s, x, kw);
                x += kw + kg;
            }
            y += kh + kg;
        }
    }
    // Bottom row: modes, space, delete, clear.
    float x = origin.x;
    const float mode_w = kw * 1.4f;
    struct ModeKey {
        const char* id;
        const char* label;
        SearchState::Mode mode;
    };
    const ModeKey modes[] = {{"pinyin", "拼音", SearchState::Mode::pinyin},
                             {"abc", "ABC", SearchState::Mode::abc},
                             {"digits", "123", SearchState::Mode::digits}};
    for (const ModeKey& mk : modes) {
        key(std::string("mode-") + mk.id, mk.label, std::string("mode:") + mk.id, x, mode_w,
            search.mode == mk.mode ? ButtonLook::accent : ButtonLook::plain);
        x += mode_w + kg;
    }
    float rest = origin.x + width - x;
    float small = kw * 1.5f;
    key("space", "空格", "space", x, rest - 2 * (small + kg));
    key("backspace", "删除", "backspace", origin.x + width - 2 * small - kg, small);
    key("clear", "清空", "clear", origin.x + width - small, small);
    ImGui::SetCursorScreenPos(ImVec2(origin.x, y + kh));
}

}  // namespace kiosk::ui
