// UTF-16 ↔ UTF-8 conversion for the pinyin decoder, whose candidates and history are UTF-16.
#pragma once

#include <string>
#include <string_view>

namespace kiosk::ime {

// Surrogate pairs become one 4-byte sequence; an unpaired surrogate becomes U+FFFD, so the
// result is always valid UTF-8 whatever the decoder hands back.
std::string utf16_to_utf8(std::u16string_view text);

// Code points above U+FFFF become surrogate pairs; each invalid or truncated UTF-8 sequence
// (overlong, surrogate, above U+10FFFF) becomes one U+FFFD.
std::u16string utf8_to_utf16(std::string_view text);

}  // namespace kiosk::ime
