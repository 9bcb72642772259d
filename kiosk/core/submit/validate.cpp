// Mobile and ID number checks (GB 11643-1999) and free-text cleaning for submissions.
#include "submit/validate.hpp"

#include <ctime>

#include "util/clock.hpp"

namespace kiosk::submit {

namespace {

bool all_digits(std::string_view s) {
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

int number(std::string_view digits) {
    int v = 0;
    for (char c : digits)
        v = v * 10 + (c - '0');
    return v;
}

// Province-level codes in use (GB/T 2260), plus Hong Kong, Macao and Taiwan residence permits.
bool known_region(int two_digits) {
    static const int kCodes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
    for (int c : kCodes) {
        if (c == two_digits) return true;
    }
    return false;
}

bool plausible_birth_date(int y, int m, int d, int64_t today) {
    if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int days = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
    if (d > days) return false;
    time_t t = static_cast<time_t>(today);
    std::tm now{};
    gmtime_r(&t, &now);
    int ty = now.tm_year + 1900, tm = now.tm_mon + 1, td = now.tm_mday;
    return y < ty || (y == ty && (m < tm || (m == tm && d <= td)));
}

// One decoded UTF-8 sequence: its code point and length, or cp < 0 for an invalid byte.
struct Decoded {
    int32_t cp;
    size_t len;
};

Decoded decode(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
    uint8_t b0 = byte(i);
    if (b0 < 0x80) return {b0, 1};
    size_t len;
    int32_t cp, min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return {-1, 1};
    }
    if (i + len > s.size()) return {-1, 1};
    for (size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {-1, 1};
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return {-1, 1};
    return {cp, len};
}

bool dropped(int32_t cp) {
    if (cp < 0x20) return cp != '\n';               // C0 controls ('\t' handled by the caller)
    if (cp >= 0x7F && cp <= 0x9F) return true;      // DEL and C1 controls
    if (cp >= 0x202A && cp <= 0x202E) return true;  // LRE RLE PDF LRO RLO
    if (cp >= 0x2066 && cp <= 0x2069) return true;  // LRI RLI FSI PDI
    if (cp >= 0xFDD0 && cp <= 0xFDEF) return true;  // noncharacters
    if ((cp & 0xFFFE) == 0xFFFE) return true;       // U+xxFFFE and U+xxFFFF in every plane
    return false;
}

}  // namespace

std::optional<std::string> mobile_problem(std::string_view phone) {
    if (phone.empty()) return std::string("请填写手机号码（11 位数字）。");
    if (!all_digits(phone))
        return std::string("手机号码只能是数字，不要带空格或其他符号，请核对。");
    if (phone.size() != 11) {
        return "手机号码应为 11 位数字，现在是 " + std::to_string(phone.size()) + " 位，请核对。";
    }
    if (phone[0] != '1' || phone[1] < '3') {
        return std::string("手机号码应为 11 位数字，以 13–19 开头，请核对。");
    }
    return std::nullopt;
}

std::optional<std::string> id_number_problem(std::string_view id, int64_t today) {
    if (id.empty()) return std::string("请填写身份证号码（18 位）。");
    if (id.size() != 18) {
        return "身份证号码应为 18 位，现在是 " + std::to_string(count_chars(id)) + " 位，请核对。";
    }
    if (!all_digits(id.substr(0, 17))) {
        return std::string("身份证号码的前 17 位只能是数字，请核对。");
    }
    char last = id[17];
    if (!(last >= '0' && last <= '9') && last != 'X' && last != 'x') {
        return std::string("身份证号码的最后一位只能是数字或字母 X，请核对。");
    }
    if (!known_region(number(id.substr(0, 2)))) {
        return std::string("身份证号码的前 6 位是地区代码，这一段不对，请核对。");
    }
    if (!plausible_birth_date(number(id.substr(6, 4)), number(id.substr(10, 2)),
                              number(id.substr(12, 2)), today)) {
        return std::string("身份证号码的第 7 到 14 位是出生年月日，这一段不是有效的日期，请核对。");
    }
    static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; ++i)
        sum += (id[i] - '0') * kWeights[i];
    const char expected = "10X98765432"[sum % 11];
    char got = last == 'x' ? 'X' : last;
    if (got != expected) {
        return std::string(
            "身份证号码的最后一位（校验码）与前面的数字对不上，可能有一位填错了，请逐位核对。");
    }
    return std::nullopt;
}

std::optional<std::string> id_number_problem(std::string_view id) {
    return id_number_problem(id, util::wall_now());
}

std::string clean_text(std::string_view in, size_t max_chars) {
    std::string out;
    out.reserve(in.size() < 4 * max_chars ? in.size() : 4 * max_chars);
    size_t kept = 0;
    for (size_t i = 0; i < in.size() && kept < max_chars;) {
        Decoded d = decode(in, i);
        if (d.cp == '\t') {
            out.push_back(' ');
            ++kept;
        } else if (d.cp >= 0 && !dropped(d.cp)) {
            out.append(in.substr(i, d.len));
            ++kept;
        }
        i += d.len;
    }
    return out;
}

size_t count_chars(std::string_view utf8) {
    size_t n = 0;
    for (size_t i = 0; i < utf8.size(); i += decode(utf8, i).len)
        ++n;
    return n;
}

}  // namespace kiosk::submit
