// Text helpers for the Markdown document model: UTF-8 repair, entities, CJK tests.
#include "content/markdown_text.hpp"

#include "util/utf8.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>

namespace kiosk::content::markdown_text {

namespace {
const char* const kReplacement = "\xEF\xBF\xBD";  // U+FFFD
}  // namespace

// NUL, surrogates and values beyond Unicode become U+FFFD, as CommonMark asks for &#0; and such.
void append_utf8(std::string& out, uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    int extra = cp < 0x80 ? 0 : cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    const unsigned lead[] = {0x00, 0xC0, 0xE0, 0xF0};
    out += static_cast<char>(lead[extra] | (cp >> (6 * extra)));
    for (int i = extra - 1; i >= 0; --i)
        out += static_cast<char>(0x80 | ((cp >> (6 * i)) & 0x3F));
}

// Each invalid sequence (a bad lead byte and the continuation bytes after it) becomes one U+FFFD,
// so a truncated character shows as one replacement mark, not three.
std::string valid_utf8(std::string_view text) {
    if (util::find_invalid_utf8(text) == std::string_view::npos) return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    while (!text.empty()) {
        size_t bad = util::find_invalid_utf8(text);
        if (bad == std::string_view::npos) {
            out.append(text);
            break;
        }
        out.append(text.substr(0, bad));
        out += kReplacement;
        size_t skip = bad + 1;
        for (int k = 0; k < 3 && skip < text.size() && (text[skip] & 0xC0) == 0x80; ++k)
            ++skip;
        text.remove_prefix(skip);
    }
    return out;
}

struct NamedEntity {
    const char* name;
    uint32_t cp;
};

// The named entities government documents use; md4c reports any well-formed &name; and the full
// HTML table (2,000+ names) is not worth carrying for text that is written in Chinese.
const NamedEntity kNamedEntities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},        {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},     {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122}, {"deg", 0xB0},
    {"plusmn", 0xB1},   {"middot", 0xB7},  {"times", 0xD7},    {"divide", 0xF7},  {"ndash", 0x2013},
    {"mdash", 0x2014},  {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"hellip", 0x2026}, {"yen", 0xA5},     {"permil", 0x2030}, {"le", 0x2264},    {"ge", 0x2265},
    {"ne", 0x2260},     {"rarr", 0x2192},  {"larr", 0x2190},   {"sect", 0xA7},    {"bull", 0x2022},
    {"ensp", 0x2002},   {"emsp", 0x2003},
};

// "&amp;", "&#20013;", "&#x4E2D;" as md4c hands them over; unknown names stay as written.
std::string decode_entity(std::string_view entity) {
    if (entity.size() < 3 || entity.front() != '&' || entity.back() != ';')
        return std::string(entity);
    std::string_view body = entity.substr(1, entity.size() - 2);
    std::string out;
    if (body[0] == '#') {
        bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
        std::string_view digits = body.substr(hex ? 2 : 1);
        if (digits.empty()) return std::string(entity);
        uint32_t cp = 0;
        auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
        if (ec == std::errc::result_out_of_range)
            cp = 0x110000;  // beyond Unicode: becomes U+FFFD
        else if (ec != std::errc() || end != digits.data() + digits.size())
            return std::string(entity);
        append_utf8(out, cp);
        return out;
    }
    for (const auto& e : kNamedEntities) {
        if (body == e.name) {
            append_utf8(out, e.cp);
            return out;
        }
    }
    return std::string(entity);
}

// Decodes one code point at text[at]; returns 0 for anything malformed.
uint32_t code_point_at(std::string_view text, size_t at) {
    auto b = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char c = b(at);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || at + len > text.size()) return 0;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t i = 1; i < len; ++i)
        cp = (cp << 6) | (b(at + i) & 0x3F);
    return cp;
}

uint32_t last_code_point(std::string_view text) {
    if (text.empty()) return 0;
    size_t at = text.size() - 1;
    while (at > 0 && text.size() - at < 4 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
        --at;
    return code_point_at(text, at);
}

bool is_cjk(uint32_t cp) {
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x33FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

// Punctuation Latin text shares with Chinese; it joins a line break only next to a CJK character.
bool is_shared_punctuation(uint32_t cp) {
    return cp == 0x2014 || cp == 0x2026 || cp == 0x2018 || cp == 0x2019 || cp == 0x201C ||
           cp == 0x201D || cp == 0xB7;
}

bool joins_without_space(uint32_t before, uint32_t after) {
    bool a = is_cjk(before), b = is_cjk(after);
    return (a && b) || (a && is_shared_punctuation(after)) || (b && is_shared_punctuation(before));
}

}  // namespace kiosk::content::markdown_text
