// What residents type: mobile and ID numbers explained in words, free text cleaned.
#include <doctest/doctest.h>

#include "submit/draft.hpp"
#include "submit/validate.hpp"
#include "util/clock.hpp"
#include "util/utf8.hpp"

using namespace kiosk::submit;

namespace {
const int64_t kToday = 1795000000;  // 2026-11-18
bool mentions(const std::optional<std::string>& problem, const char* words) {
    return problem && problem->find(words) != std::string::npos;
}
}  // namespace

TEST_CASE("a mainland mobile number passes; a wrong one is explained in Chinese") {
    CHECK_FALSE(mobile_problem("13812345678"));
    CHECK_FALSE(mobile_problem("19912345678"));
    CHECK(mentions(mobile_problem("12812345678"), "以 13–19 开头"));
    CHECK(mentions(mobile_problem("23812345678"), "以 13–19 开头"));
    CHECK(mentions(mobile_problem("1381234567"), "现在是 10 位"));
    CHECK(mentions(mobile_problem("138123456789"), "现在是 12 位"));
    CHECK(mentions(mobile_problem("138-1234-5678"), "只能是数字"));
    CHECK(mentions(mobile_problem(""), "请填写手机号码"));
}

TEST_CASE("a real ID number passes, with X or x as its check character") {
    for (const char* id : {"11010519491231002X", "11010519491231002x", "510108200002295619",
                           "320583198501010012", "420106200808088008", "44030419900307123X"}) {
        CAPTURE(id);
        CHECK_FALSE(id_number_problem(id, kToday));
    }
}

TEST_CASE("a wrong ID number is explained by the part that is wrong") {
    CHECK(mentions(id_number_problem("110105194912310021", kToday), "校验码"));
    CHECK(mentions(id_number_problem("510108200002295618", kToday), "校验码"));
    // 29 February 2001 and a birthday after today are not birth dates.
    CHECK(mentions(id_number_problem("510108200102295619", kToday), "第 7 到 14 位"));
    CHECK(mentions(id_number_problem("510108203001015619", kToday), "第 7 到 14 位"));
    CHECK(mentions(id_number_problem("510108180001015619", kToday), "第 7 到 14 位"));
    CHECK(mentions(id_number_problem("990108200002295619", kToday), "地区代码"));
    CHECK(mentions(id_number_problem("5101082000022956", kToday), "应为 18 位，现在是 16 位"));
    CHECK(mentions(id_number_problem("51010820A002295619", kToday), "前 17 位只能是数字"));
    CHECK(mentions(id_number_problem("51010820000229561Y", kToday), "数字或字母 X"));
    CHECK(mentions(id_number_problem("", kToday), "请填写身份证号码"));
    CHECK_FALSE(id_number_problem("11010519491231002X"));  // against the real clock
}

TEST_CASE("clean text drops invalid UTF-8: stray, overlong, surrogate and cut-off sequences") {
    CHECK(clean_text("a\xff\xfe"
                     "b",
                     100) == "ab");
    CHECK(clean_text("a\xc0\xaf"
                     "b",
                     100) == "ab");
    CHECK(clean_text("a\xed\xa0\x80"
                     "b",
                     100) == "ab");
    CHECK(clean_text("举报\xe4\xb8", 100) == "举报");
    CHECK(clean_text("\xf4\x90\x80\x80x", 100) == "x");  // past U+10FFFF
}

TEST_CASE("clean text keeps line breaks and drops control characters, tab becomes a space") {
    CHECK(clean_text("a\x01"
                     "b\x7f\xc2\x85"
                     "c\td\r\ne\x1b[31m",
                     100) == "abc d\ne[31m");
    CHECK(clean_text(std::string("x\0y", 3), 100) == "xy");
}

TEST_CASE("clean text drops bidi overrides and isolates and noncharacters") {
    CHECK(clean_text("abc\u202Edef\u202Ag\u202C\u2066x\u2069\u2067\u2068", 100) == "abcdefgx");
    CHECK(clean_text("a\uFFFEb\uFDD0c\U0001FFFFd\uFFFF", 100) == "abcd");
    CHECK(clean_text("阳光终端 🙂 ok", 100) ==
          "阳光终端 🙂 ok");  // text and emoji stay
}

TEST_CASE("5,000 emoji are cut at the limit, on a code point boundary") {
    std::string many;
    for (int i = 0; i < 5000; ++i)
        many += "😀";
    std::string cut = clean_text(many, kMaxReportChars);
    CHECK(count_chars(cut) == kMaxReportChars);
    CHECK(cut.size() == 4 * kMaxReportChars);
    CHECK(kiosk::util::find_invalid_utf8(cut) == std::string_view::npos);
    CHECK(count_chars(many) == 5000);
    CHECK(count_chars("举报a\xff") == 4);
}

TEST_CASE("next_code_point decodes UTF-8 and steps over a broken sequence one byte at a time") {
    const std::string s = "a\xE5\xAD\x97\xF0\x9F\x98\x80\xE5\xAD";  // a, 字, 😀, a cut 字
    size_t i = 0;
    CHECK(kiosk::util::next_code_point(s, i) == U'a');
    CHECK(kiosk::util::next_code_point(s, i) == U'字');
    CHECK(kiosk::util::next_code_point(s, i) == U'\U0001F600');
    CHECK(kiosk::util::next_code_point(s, i) == U'\uFFFD');
    CHECK(i == s.size() - 1);
    CHECK(kiosk::util::next_code_point(s, i) == U'\uFFFD');
    CHECK(i == s.size());
}
