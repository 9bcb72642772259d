// UTF-8 checks and counting used by the source checker and text code.
#pragma once

#include <cstddef>
#include <string_view>

namespace kiosk::util {

// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and values above
// U+10FFFF are invalid), or std::string_view::npos when the text is valid.
size_t find_invalid_utf8(std::string_view text);

// Number of code points in valid UTF-8 text.
size_t count_code_points(std::string_view text);

// The code point starting at byte i, moving i past it. Lenient, as text drawing wants it: an
// invalid or cut-off sequence gives U+FFFD and moves one byte.
char32_t next_code_point(std::string_view text, size_t& i);

// 1-based line number of a byte offset.
int line_of_offset(std::string_view text, size_t offset);

}  // namespace kiosk::util
