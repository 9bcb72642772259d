// Chinese line breaking (禁则 / kinsoku) for document text; the UI supplies glyph widths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kiosk::text {

// Width in pixels of one code point at the current font and size (the UI passes the font's
// advance). Invalid UTF-8 bytes are measured as U+FFFD.
using AdvanceFn = std::function<float(char32_t)>;

// One laid-out line: a byte range into the text. `end` excludes trailing spaces and the '\n';
// `width` is the sum of advance() over the code points in [begin, end).
struct Line {
    size_t begin = 0;
    size_t end = 0;
    float width = 0;
};

// Breaks UTF-8 text into lines no wider than max_width.
// - Every '\n' ends a line, so the result has one line per '\n' plus one ("" gives one empty
//   line); empty lines are kept as empty ranges.
// - Breaks fall between CJK characters, at spaces (which are then dropped), and never inside
//   a Latin word, a number, a URL, "30个", "2026年" or "B超".
// - No wrapped line starts with closing punctuation (forbidden_at_line_start) or ends with
//   opening punctuation (forbidden_at_line_end): the character before is carried down instead.
// - A unit wider than the whole line is cut between grapheme clusters (never inside a UTF-8
//   sequence, a combining sequence or an emoji ZWJ sequence). Where punctuation leaves no
//   acceptable cut the line overflows, so a line wider than max_width is always one
//   unbreakable piece.
// Leading spaces of a paragraph (indentation) are kept and counted. Runs in linear time.
std::vector<Line> break_lines(std::string_view text, float max_width, const AdvanceFn& advance);

// Closing punctuation no line may start with: ，。、；：？！）》」』】〕〉”’…—·%‰℃, their
// fullwidth and ASCII forms (, . ; : ? ! ) ] } %) and small kana. ASCII '-' and quotes are
// decided by context inside break_lines and are not listed here.
bool forbidden_at_line_start(char32_t cp);

// Opening punctuation no line may end with: （《「『【〔〈“‘ ( [ { and currency signs ($ ¥ ￥).
bool forbidden_at_line_end(char32_t cp);

// Spaces a line may break at: ' ', tab, '\r', U+3000 and the zero-width space.
bool is_break_space(char32_t cp);

// Code points that belong to the cluster before them: combining marks, variation selectors,
// ZWJ, emoji skin-tone modifiers and tag characters.
bool extends_cluster(char32_t cp);

// Caches break_lines results per (text, width, font size) so a document is laid out once per
// width and text size instead of every frame. The font size is only a key: the caller clears
// the cache when the font itself changes. Bounded: beyond `capacity` entries the least recently
// used one is evicted.
class LineBreakCache {
public:
    explicit LineBreakCache(size_t capacity = 16);

    // The returned reference stays valid until the next call to lines() or clear().
    const std::vector<Line>& lines(std::string_view text, float max_width, float font_size,
                                   const AdvanceFn& advance);
    void clear();
    size_t size() const { return order_.size(); }
    size_t capacity() const { return capacity_; }

private:
    struct Entry {
        std::string text;
        float max_width = 0;
        float font_size = 0;
        std::vector<Line> lines;
    };
    using Order = std::list<Entry>;  // most recently used first
    Order order_;
    std::unordered_multimap<size_t, Order::iterator> index_;  // hash of (text, width, size)
    size_t capacity_;
};

}  // namespace kiosk::text
