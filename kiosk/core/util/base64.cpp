// Standard base64 through libsodium's constant-time codec (keys pass through here).
#include "util/base64.hpp"

#include <sodium.h>

#include <cerrno>

namespace kiosk::util {

std::string base64_encode(const uint8_t* data, size_t size) {
    const size_t encoded_len = sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL);
    // Encode straight into the string's buffer (its terminator slot takes sodium's NUL), so no
    // temporary copy of key material is left behind.
    std::string out(encoded_len - 1, '\0');
    sodium_bin2base64(out.data(), encoded_len, data, size, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

Result<size_t> base64_decode(std::string_view text, uint8_t* out, size_t capacity) {
    size_t written = 0;
    errno = 0;
    if (sodium_base642bin(out, capacity, text.data(), text.size(), nullptr, &written, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        // libsodium also reports missing padding as ERANGE, so "too long" is judged by length.
        const size_t max_text =
            sodium_base64_encoded_len(capacity, sodium_base64_VARIANT_ORIGINAL) - 1;
        if (errno == ERANGE && text.size() > max_text) {
            return make_error("format", "base64 text decodes to more than " +
                                            std::to_string(capacity) + " bytes");
        }
        return make_error("format", "text is not valid base64");
    }
    return written;
}

}  // namespace kiosk::util
