// Tests for the Chinese line breaker: 禁则 punctuation, numbers with units, widths, the cache.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "text/cjk_tokenizer.hpp"
#include "text/line_break.hpp"
#include "util/utf8.hpp"

using kiosk::text::AdvanceFn;
using kiosk::text::break_lines;
using kiosk::text::Line;
using kiosk::text::LineBreakCache;

namespace {

// CJK 10 px, ASCII 5 px, so expected lines can be worked out by hand.
float fixed_advance(char32_t cp) {
    return cp < 0x80 ? 5.0f : 10.0f;
}
const AdvanceFn kAdvance = fixed_advance;

// The width fixed_advance gives a decoded unit, without re-encoding it: one ASCII byte is 5,
// anything else (a longer sequence or an invalid byte, measured as U+FFFD) is 10.
float unit_width(std::string_view text, const kiosk::text::TextUnit& u) {
    bool ascii = u.end - u.begin == 1 && static_cast<unsigned char>(text[u.begin]) < 0x80;
    return ascii ? 5.0f : 10.0f;
}

// The marks the brief names, written out here rather than taken from the breaker's tables.
const std::vector<std::string> kClosing = {"，", "。", "、", "；", "：", "？", "！", "）", "》",
                                           "」", "』", "】", "〕", "〉", "”",  "’",  "…",  "—",
                                           "·",  "%",  "‰",  "℃",  ",",  ".",  ";",  ":",  "?",
                                           "!",  ")",  "]",  "}",  "％", "．", "！", "？", "）"};
const std::vector<std::string> kOpening = {"（", "《", "「", "『", "【", "〔",
                                           "〈", "“",  "‘",  "(",  "[",  "{"};

bool starts_with_any(std::string_view s, const std::vector<std::string>& marks) {
    for (const auto& m : marks) {
        if (s.substr(0, m.size()) == m) return true;
    }
    return false;
}

bool ends_with_any(std::string_view s, const std::vector<std::string>& marks) {
    for (const auto& m : marks) {
        if (s.size() >= m.size() && s.substr(s.size() - m.size()) == m) return true;
    }
    return false;
}

std::vector<std::string> layout(std::string_view text, float max_width) {
    std::vector<std::string> out;
    for (const Line& l : break_lines(text, max_width, kAdvance)) {
        out.emplace_back(text.substr(l.begin, l.end - l.begin));
    }
    return out;
}

using Strings = std::vector<std::string>;

// A place where a too-wide line could have been cut without breaking a rule: not inside a
// cluster, not next to a space, not before closing or after opening punctuation (ASCII quotes
// and '-' count as both, since the breaker decides them by context).
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

// Every property a layout must have, checked from the text alone; "" when all hold.
// Lines cover the text in order, losing only spaces at breaks and the '\n's; widths are sums
// of advances; wrapped lines neither start with closing nor end with opening punctuation; a
// line wider than max_width has no place it could have been cut.
std::string layout_problem(std::string_view text, float max_width, const std::vector<Line>& lines) {
    using kiosk::text::is_break_space;
    auto units = kiosk::text::decode_units(text);
    const size_t none = std::numeric_limits<size_t>::max();
    std::vector<size_t> unit_at(text.size() + 1, none);
    for (size_t i = 0; i < units.size(); ++i)
        unit_at[units[i].begin] = i;
    unit_at[text.size()] = units.size();
    size_t pos = 0;
    std::string_view previous;
    for (size_t n = 0; n < lines.size(); ++n) {
        const Line& l = lines[n];
        std::string at = " (line " + std::to_string(n) + ")";
        if (l.begin < pos || l.end < l.begin || l.end > text.size()) return "out of order" + at;
        if (unit_at[l.begin] == none || unit_at[l.end] == none) return "splits a sequence" + at;
        if (n == 0 && l.begin != 0) return "the first line does not start the text";
        size_t newlines = 0;
        for (size_t i = unit_at[pos]; i < unit_at[l.begin]; ++i) {
            char32_t cp = units[i].folded;
            if (cp == '\n' && i + 1 != unit_at[l.begin]) return "text after a newline lost" + at;
            if (cp == '\n') ++newlines;
            if (cp != '\n' && !is_break_space(cp)) return "text lost before" + at;
        }
        std::string_view s = text.substr(l.begin, l.end - l.begin);
        float width = 0;
        char32_t base = 0;
        for (size_t i = unit_at[l.begin]; i < unit_at[l.end]; ++i) {
            char32_t cp = units[i].folded;
            if (cp == '\n') return "a newline inside" + at;
            width += unit_width(text, units[i]);
            if (i > unit_at[l.begin] && same_cluster(units[i - 1].folded, cp)) continue;
            if (i > unit_at[l.begin] && l.width > max_width && could_cut(base, cp)) {
                return "overflows although it could be cut" + at;
            }
            base = cp;
        }
        if (std::fabs(width - l.width) > 0.01f) return "width is not the sum of advances" + at;
        if (l.end > l.begin && is_break_space(units[unit_at[l.end] - 1].folded)) {
            return "keeps a trailing space" + at;
        }
        if (n > 0 && newlines == 0) {  // a wrap inside a paragraph
            if (s.empty() || previous.empty()) return "an empty wrapped line" + at;
            if (is_break_space(units[unit_at[l.begin]].folded)) return "starts with a space" + at;
            if (starts_with_any(s, kClosing)) return "starts with closing punctuation" + at;
            if (ends_with_any(previous, kOpening)) return "ends with opening punctuation" + at;
        }
        previous = s;
        pos = l.end;
    }
    for (size_t i = unit_at[pos]; i < units.size(); ++i) {
        if (!is_break_space(units[i].folded)) return "text lost at the end";
    }
    return "";
}

void check_layout(std::string_view text, float max_width) {
    std::string problem = layout_problem(text, max_width, break_lines(text, max_width, kAdvance));
    INFO("text: ", std::string(text), ", width ", max_width);
    CHECK(problem == "");
}

// "一二三…十" with `mark` put before each character from the second on, and after the last.
std::vector<std::string> with_mark_everywhere(const std::string& mark) {
    const std::string chars[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    std::vector<std::string> texts;
    for (size_t at = 1; at <= 10; ++at) {
        std::string text;
        for (size_t i = 0; i < 10; ++i)
            text += (i == at ? mark : "") + chars[i];
        texts.push_back(at == 10 ? text + mark : text);
    }
    return texts;
}

}  // namespace

TEST_SUITE_BEGIN("line break");

TEST_CASE("the breaker's tables hold every mark the 禁则 rules name") {
    auto first = [](const std::string& s) { return kiosk::text::next_unit(s, 0).folded; };
    for (const auto& m : kClosing) {
        CHECK_MESSAGE(kiosk::text::forbidden_at_line_start(first(m)), m);
    }
    for (const auto& m : kOpening) {
        CHECK_MESSAGE(kiosk::text::forbidden_at_line_end(first(m)), m);
    }
}

TEST_CASE("a line never starts with a closing mark, wherever the break falls") {
    for (const auto& mark : kClosing) {
        for (const auto& text : with_mark_everywhere(mark)) {
            for (float width = 10; width <= 110; width += 5) {
                auto lines = layout(text, width);
                for (size_t i = 1; i < lines.size(); ++i) {
                    INFO(text, " at width ", width);
                    CHECK_FALSE(starts_with_any(lines[i], {mark}));
                }
                check_layout(text, width);
            }
        }
    }
}

TEST_CASE("a line never ends with an opening mark, wherever the break falls") {
    for (const auto& mark : kOpening) {
        for (const auto& text : with_mark_everywhere(mark)) {
            for (float width = 10; width <= 110; width += 5) {
                auto lines = layout(text, width);
                for (size_t i = 0; i + 1 < lines.size(); ++i) {
                    INFO(text, " at width ", width);
                    CHECK_FALSE(ends_with_any(lines[i], {mark}));
                }
                check_layout(text, width);
            }
        }
    }
}

TEST_CASE("the character before a closing mark is carried down with it") {
    CHECK(layout("一二三四。", 40) == Strings{"一二三", "四。"});
    CHECK(layout("一二三（四）", 40) == Strings{"一二三", "（四）"});
    CHECK(layout("甲乙丙丁……", 40) == Strings{"甲乙丙", "丁……"});
}

TEST_CASE("a run of punctuation too long to carry overflows instead of looping") {
    std::string text = "一";
    for (int i = 0; i < 50; ++i)
        text += "。";
    CHECK(layout(text, 30) == Strings{text});
    check_layout(text, 30);
}

TEST_CASE("ASCII quotes open and close by context") {
    // 他说"你好"。: the opening quote is byte 6, the closing one byte 13, "。" byte 14.
    std::string text = "他说\"你好\"。";
    for (float width = 10; width <= 80; width += 5) {
        for (const Line& l : break_lines(text, width, kAdvance)) {
            INFO("width ", width);
            CHECK(l.end != 7);
            CHECK(l.begin != 13);
            CHECK(l.begin != 14);
        }
    }
    CHECK(layout("don't stop", 30) == Strings{"don't", "stop"});
}

TEST_CASE("30个工作日 keeps the number with its measure word") {
    CHECK(layout("请在30个工作日内办理", 35) == Strings{"请在", "30个工", "作日内", "办理"});
    for (float width = 20; width <= 120; width += 5) {
        auto lines = layout("请在30个工作日内办理", width);
        for (size_t i = 1; i < lines.size(); ++i) {
            INFO("width ", width);
            CHECK_FALSE(starts_with_any(lines[i], {"0", "个"}));
        }
    }
}

TEST_CASE("dates stay together as 2026年, 11月 and 29日") {
    std::string text = "公告日期：2026年11月29日起施行";
    for (float width = 30; width <= 200; width += 5) {
        auto lines = layout(text, width);
        for (size_t i = 1; i < lines.size(); ++i) {
            INFO("width ", width, ": ", lines[i - 1], " | ", lines[i]);
            char last = lines[i - 1].back();
            CHECK_FALSE((last >= '0' && last <= '9'));
            CHECK_FALSE(starts_with_any(lines[i], {"年", "月", "日"}));
        }
        check_layout(text, width);
    }
    CHECK(layout("2026年11月29日", 45) == Strings{"2026年", "11月29日"});
}

TEST_CASE("B超 and a price per month stay together") {
    for (float width = 20; width <= 100; width += 5) {
        for (const auto& line : layout("请到三楼做B超检查", width)) {
            INFO("width ", width);
            CHECK_FALSE(ends_with_any(line, {"B"}));
        }
    }
    CHECK(layout("补贴300元/月", 50) == Strings{"补贴", "300元/月"});
}

TEST_CASE("times, phone numbers, URLs and e-mail addresses stay on one line when they fit") {
    std::string text = "办公时间8:30-17:00，电话0000-84101234。详见https://www.gov.cn/a_b?id=1&p=2 "
                       "或写信至 xinfang@example.gov.cn 。";
    for (float width = 180; width <= 400; width += 10) {
        auto lines = layout(text, width);
        for (std::string part : {"8:30-17:00，", "0000-84101234。",
                                 "https://www.gov.cn/a_b?id=1&p=2", "xinfang@example.gov.cn"}) {
            bool whole = false;
            for (const auto& line : lines)
                whole = whole || line.find(part) != std::string::npos;
            INFO(part, " at width ", width);
            CHECK(whole);
        }
        check_layout(text, width);
    }
}

TEST_CASE("a long Latin word or number is cut by code point only when wider than the line") {
    CHECK(layout("see abcdef", 40) == Strings{"see", "abcdef"});
    CHECK(layout("see abcdefghijklmnop", 40) == Strings{"see", "abcdefgh", "ijklmnop"});
    CHECK(layout("电话13800138000", 30) == Strings{"电话", "138001", "38000"});
}

TEST_CASE("empty lines are kept as empty lines") {
    auto lines = break_lines("甲\n\n乙\n", 100, kAdvance);
    REQUIRE(lines.size() == 4);
    CHECK(lines[1].begin == 4);
    CHECK(lines[1].end == 4);
    CHECK(lines[3].begin == 9);
    CHECK(layout("甲\n\n乙\n", 100) == Strings{"甲", "", "乙", ""});
    CHECK(layout("", 100) == Strings{""});
    CHECK(layout("   \r\n中", 100) == Strings{"", "中"});
}

TEST_CASE("spaces at a break are dropped and not counted") {
    auto lines = break_lines("aaaa bbbb", 20, kAdvance);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].width == 20);
    CHECK(lines[1].begin == 5);
    CHECK(lines[1].width == 20);
    CHECK(layout("aaaa   bbbb cc  ", 35) == Strings{"aaaa", "bbbb cc"});
    // Indentation at the start of a paragraph is content.
    auto indented = break_lines("　　第一条", 100, kAdvance);
    REQUIRE(indented.size() == 1);
    CHECK(indented[0].begin == 0);
    CHECK(indented[0].width == 50);
}

TEST_CASE("invalid UTF-8 is measured as U+FFFD and never split or lost") {
    std::string text = "中\xff文\xe4\xb8"
                       "a\x80"
                       "b\xf0\x9f";
    int replacement_calls = 0;
    AdvanceFn counting = [&](char32_t cp) {
        replacement_calls += cp == 0xFFFD;
        return fixed_advance(cp);
    };
    for (float width = 0; width <= 80; width += 5) {
        replacement_calls = 0;
        auto lines = break_lines(text, width, counting);
        CHECK(replacement_calls == 6);
        CHECK(layout_problem(text, width, lines) == "");
    }
}

TEST_CASE("emoji sequences and combining marks are never split") {
    std::string text = "👨‍👩‍👧‍👦👍🏽🇨🇳🇯🇵1️⃣e\u0301";
    CHECK(layout(text, 1) ==
          Strings{"👨‍👩‍👧‍👦", "👍🏽", "🇨🇳", "🇯🇵", "1️⃣", "e\u0301"});
    for (float width = 0; width <= 120; width += 5)
        check_layout(text, width);
}

// Fuzzer find: the ZWJ took the "(" into the emoji's cluster, and the line ended with "(".
TEST_CASE("a ZWJ never hides an opening bracket from the 禁则 rules") {
    CHECK(layout("👨‍(办", 12) == Strings{"👨‍", "(办"});
    check_layout("👨‍(办", 12);
}

TEST_CASE("a line exactly as wide as max_width fits") {
    CHECK(layout("中文中文", 40) == Strings{"中文中文"});
    CHECK(layout("中文中文ab", 39.5f) == Strings{"中文中", "文ab"});
}

TEST_CASE("a paragraph does not end with one character alone on its last line") {
    // 8 characters fit: "关于阳光终端的公" / "告。" would leave 告 alone.
    CHECK(layout("关于阳光终端的公告。", 80) == Strings{"关于阳光终端的", "公告。"});
    CHECK(layout("关于阳光终端的公告", 80) == Strings{"关于阳光终端的", "公告"});
    // Each paragraph on its own; two characters on the last line are fine as they are.
    CHECK(layout("关于阳光终端的公告\n关于阳光终端的公告书", 80) ==
          Strings{"关于阳光终端的", "公告", "关于阳光终端的公", "告书"});
    // Not by cutting a word: the line before is one long number.
    CHECK(layout("1234567890123456中", 80) == Strings{"1234567890123456", "中"});
    // A Latin word alone on the last line is normal.
    CHECK(layout("关于阳光终端的公abc", 80) == Strings{"关于阳光终端的公", "abc"});
    check_layout("关于阳光终端的公告。", 80);
}

TEST_CASE("a width below one character puts each character on its own line") {
    for (float width : {1.0f, 0.0f, -5.0f, std::nanf("")}) {
        INFO("width ", width);
        CHECK(layout("中文ab", width) == Strings{"中", "文", "a", "b"});
    }
}

TEST_CASE("the cache lays a text out once per width and font size") {
    int calls = 0;
    AdvanceFn counting = [&](char32_t cp) {
        ++calls;
        return fixed_advance(cp);
    };
    LineBreakCache cache(4);
    const std::string text = "政府信息公开，便民服务。";
    auto first = cache.lines(text, 50, 36, counting);
    int after_first = calls;
    const auto& again = cache.lines(text, 50, 36, counting);
    CHECK(calls == after_first);
    REQUIRE(again.size() == first.size());
    for (size_t i = 0; i < first.size(); ++i) {
        CHECK(again[i].begin == first[i].begin);
        CHECK(again[i].end == first[i].end);
    }
    cache.lines(text, 50, 48, counting);
    CHECK(calls > after_first);
    CHECK(cache.size() == 2);
}

TEST_CASE("the cache stays bounded and forgets the least recently used layout") {
    LineBreakCache cache(4);
    const std::string text = "政府信息公开";
    for (int w = 10; w <= 100; w += 10)
        cache.lines(text, static_cast<float>(w), 36, kAdvance);
    CHECK(cache.size() == 4);
    int calls = 0;
    AdvanceFn counting = [&](char32_t cp) {
        ++calls;
        return fixed_advance(cp);
    };
    cache.lines(text, 100, 36, counting);  // the newest entry is still there
    CHECK(calls == 0);
    cache.lines(text, 10, 36, counting);  // the oldest was evicted
    CHECK(calls > 0);
    CHECK(cache.size() == 4);
    cache.clear();
    CHECK(cache.size() == 0);
}

TEST_CASE("random mixes of Chinese, Latin, numbers and punctuation keep every layout property") {
    std::vector<std::string> pieces = {
        "中", "文", "政", "府", "公", "开", "年", "月", "日", "个",   "元",      "……",       "——",
        " ",  "  ", "\n", "　", "\"", "'",  "-",  "ー", "ッ", "１２", "e\u0301", "👍🏽", "🇨🇳"};
    for (const char* longer : {"hello", "abcdefghijklmnopqrstuvwxyz", "30", "2026", "3.14", "1,000",
                               "8:30-17:00", "0000-84101234", "a@b.cn", "B超", "元/月", "m²",
                               "https://www.gov.cn/a_b?x=1", "👨‍👩‍👧"}) {
        pieces.push_back(longer);
    }
    pieces.insert(pieces.end(), kClosing.begin(), kClosing.end());
    pieces.insert(pieces.end(), kOpening.begin(), kOpening.end());
    std::mt19937 rng(20261129);
    for (int round = 0; round < 400; ++round) {
        std::string text;
        size_t count = rng() % 60;
        for (size_t i = 0; i < count; ++i)
            text += pieces[rng() % pieces.size()];
        float width = static_cast<float>(rng() % 200);
        check_layout(text, width);
    }
}

TEST_CASE("a 100,000-character document is laid out in linear time") {
    const std::string para =
        "根据《政府信息公开条例》，申请人应在30个工作日内（2026年11月29日前）"
        "提交材料，咨询电话0000-84101234，详见 https://www.gov.cn/zhengce 。\n";
    std::string text;
    const size_t per_para = kiosk::util::count_code_points(para);
    for (size_t chars = 0; chars < 100000; chars += per_para)
        text += para;
    std::string word(100000, 'a');
    for (const std::string* t : {&text, &word}) {
        auto start = std::chrono::steady_clock::now();
        auto lines = break_lines(*t, 300, kAdvance);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
        CHECK(layout_problem(*t, 300, lines) == "");
        // Quadratic behaviour would take minutes; even a sanitizer build takes well under this.
        CHECK(ms < 3000);
    }
}

TEST_SUITE_END();
