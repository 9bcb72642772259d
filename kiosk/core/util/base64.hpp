// Standard base64 (RFC 4648 alphabet, with padding) through libsodium, as minisign writes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::util {

std::string base64_encode(const uint8_t* data, size_t size);

// Decodes strict base64 (padding required, no whitespace, canonical final bits) into
// out[0, capacity). Returns the number of bytes written, or a "format" error when the text is
// not base64 or would decode to more than capacity bytes.
Result<size_t> base64_decode(std::string_view text, uint8_t* out, size_t capacity);

}  // namespace kiosk::util
