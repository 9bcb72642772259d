// libFuzzer target: the line breaker on arbitrary bytes, at a width taken from the first byte.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "text/cjk_tokenizer.hpp"
#include "text/line_break.hpp"

namespace {

using namespace kiosk::text;

// Three widths so sums are exact: ASCII 5, two-byte code points 7, everything else 10.
float advance(char32_t cp) {
    return cp < 0x80 ? 5.0f : cp < 0x800 ? 7.0f : 10.0f;
}

// The same widths read from a decoded unit (an invalid byte is U+FFFD, so 10).
float unit_width(std::string_view text, const TextUnit& u) {
    size_t n = u.end - u.begin;
    if (n == 1) return static_cast<unsigned char>(text[u.begin]) < 0x80 ? 5.0f : 10.0f;
    return n == 2 ? 7.0f : 10.0f;
}

// Where a too-wide line could have been cut without breaking a rule (see break_lines). ASCII
// quotes and '-' are decided by context in the breaker, so they count as both opening and
// closing here.
bool same_cluster(char32_t before, char32_t after) {
    using namespace kiosk::text;
    auto regional = [](char32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; };
    bool zwj_joins = after >= 0x80 && !is_break_space(after) && !forbidden_at_line_start(after) &&
                     !forbidden_at_line_end(after);
    return extends_cluster(after) || (before == 0x200D && zwj_joins) ||
           (regional(before) && regional(after));
}

// `base` is the first code point of the cluster before the cut.
bool could_cut(char32_t base, char32_t after) {
    using namespace kiosk::text;
    auto quote = [](char32_t c) { return c == '"' || c == '\'' || c == 0xFF02 || c == 0xFF07; };
    if (is_break_space(base) || is_break_space(after)) return false;
    if (forbidden_at_line_start(after) || quote(after) || after == '-') return false;
    return !forbidden_at_line_end(base) && !quote(base);
}

void require(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    // -8 … 247: negative and zero widths included; a CJK character is 10.
    const float max_width = static_cast<float>(data[0]) - 8.0f;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::vector<Line> lines = break_lines(text, max_width, advance);

    const std::vector<TextUnit> units = decode_units(text);
    const size_t none = std::numeric_limits<size_t>::max();
    std::vector<size_t> unit_at(text.size() + 1, none);
    for (size_t i = 0; i < units.size(); ++i)
        unit_at[units[i].begin] = i;
    unit_at[text.size()] = units.size();

    require(!lines.empty());
    require(lines[0].begin == 0);
    size_t pos = 0;
    for (size_t n = 0; n < lines.size(); ++n) {
        const Line& l = lines[n];
        require(l.begin >= pos && l.end >= l.begin && l.end <= text.size());
        require(unit_at[l.begin] != none && unit_at[l.end] != none);
        const size_t first = unit_at[l.begin], last = unit_at[l.end];
        // Between lines only spaces, and at most one '\n', which ends the gap.
        size_t newlines = 0;
        for (size_t i = unit_at[pos]; i < first; ++i) {
            char32_t cp = units[i].folded;
            require(cp == '\n' ? i + 1 == first : is_break_space(cp));
            newlines += cp == '\n';
        }
        // A line wider than max_width has no cluster boundary it could have been cut at.
        float width = 0;
        char32_t base = 0;
        for (size_t i = first; i < last; ++i) {
            const char32_t cp = units[i].folded;
            require(cp != '\n');
            width += unit_width(text, units[i]);
            if (i > first && same_cluster(units[i - 1].folded, cp)) continue;
            if (i > first && l.width > max_width) require(!could_cut(base, cp));
            base = cp;
        }
        require(std::fabs(width - l.width) <= 0.01f);
        if (last > first) require(!is_break_space(units[last - 1].folded));
        if (n > 0 && newlines == 0) {  // a wrap inside a paragraph
            const Line& prev = lines[n - 1];
            require(last > first && prev.end > prev.begin);
            require(!is_break_space(units[first].folded));
            require(!forbidden_at_line_start(units[first].folded));
            require(!forbidden_at_line_end(units[unit_at[prev.end] - 1].folded));
        }
        pos = l.end;
    }
    for (size_t i = unit_at[pos]; i < units.size(); ++i)
        require(is_break_space(units[i].folded));
    return 0;
}
