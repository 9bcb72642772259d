// Text helpers for the Markdown document model: UTF-8 repair, entities, CJK tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::content::markdown_text {

// Appends a code point as UTF-8; NUL, surrogates and values beyond Unicode become U+FFFD.
void append_utf8(std::string& out, uint32_t cp);
// Each invalid sequence becomes one U+FFFD.
std::string valid_utf8(std::string_view text);
// "&amp;", "&#20013;", "&#x4E2D;" as md4c hands them over; unknown names stay as written.
std::string decode_entity(std::string_view entity);
// The code point at text[at] (0 for anything malformed), and the last one of the text.
uint32_t code_point_at(std::string_view text, size_t at);
uint32_t last_code_point(std::string_view text);
bool is_cjk(uint32_t cp);
// Whether a soft line break between these two characters joins them without a space.
bool joins_without_space(uint32_t before, uint32_t after);

}  // namespace kiosk::content::markdown_text
