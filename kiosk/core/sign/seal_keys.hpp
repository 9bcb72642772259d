// The county's X25519 key pair for libsodium sealed boxes (crypto_box_seal): generate and parse.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::sign {

struct SealKeyPairText {
    std::string public_base64;  // the 32-byte public key, base64 on one line
    std::string public_text;    // "untrusted comment: kiosk sealing public key\n<base64>\n"
    std::string secret_text;    // "untrusted comment: kiosk sealing SECRET key\n<base64>\n"
};

// A new crypto_box key pair.
Result<SealKeyPairText> generate_seal_keypair();

// A public key file's text, or a bare base64 line. Refuses a file whose comment calls it a
// secret key, so the secret can never be mistaken for (and published as) the public key.
Result<std::array<uint8_t, 32>> parse_seal_public_key(std::string_view text_or_base64);

// A secret key file's text (or a bare base64 line). Refuses one whose comment calls it public.
Result<std::array<uint8_t, 32>> parse_seal_secret_key(std::string_view text);

}  // namespace kiosk::sign
