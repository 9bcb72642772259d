// Sealing key files: one comment line and one base64 line, like minisign's, for crypto_box_seal.
#include "sign/seal_keys.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "sign/minisign_text.hpp"
#include "util/base64.hpp"

namespace kiosk::sign {

namespace {

using detail::WipeOnExit;

bool contains_word(std::string_view line, std::string_view lowercase_word) {
    auto it = std::search(
        line.begin(), line.end(), lowercase_word.begin(), lowercase_word.end(),
        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    return it != line.end();
}

// Splits a 1- or 2-line key text into its base64 line, checking the comment when there is one.
Result<std::string_view> key_line(std::string_view text, std::string_view what,
                                  std::string_view refused_word, std::string_view refusal) {
    auto lines = detail::split_lines(text, 2, what);
    if (!lines) return lines.error();
    std::string_view comment;
    std::string_view b64 = lines->line[0];
    if (lines->count == 2) {
        comment = lines->line[0];
        b64 = lines->line[1];
        if (comment.substr(0, detail::kUntrustedPrefix.size()) != detail::kUntrustedPrefix) {
            return make_error("format", std::string(what) +
                                            ": line 1 must start with \"untrusted comment: \"");
        }
    } else if (b64.substr(0, detail::kUntrustedPrefix.size()) == detail::kUntrustedPrefix) {
        comment = b64;
        b64 = {};
    }
    if (!comment.empty() && contains_word(comment, refused_word)) {
        return make_error("format", std::string(refusal));
    }
    if (b64.empty()) {
        return make_error("format", std::string(what) + ": the base64 line is missing");
    }
    return b64;
}

}  // namespace

Result<SealKeyPairText> generate_seal_keypair() {
    KIOSK_TRY(detail::ensure_sodium());
    uint8_t pk[crypto_box_PUBLICKEYBYTES];
    uint8_t sk[crypto_box_SECRETKEYBYTES];
    WipeOnExit wipe_sk(sk, sizeof sk);
    if (crypto_box_keypair(pk, sk) != 0) {
        return make_error("crypto", "cannot generate an X25519 key pair");
    }
    SealKeyPairText out;
    out.public_base64 = util::base64_encode(pk, sizeof pk);
    out.public_text = std::string(detail::kUntrustedPrefix) + "kiosk sealing public key\n" +
                      out.public_base64 + "\n";
    std::string sk_b64 = util::base64_encode(sk, sizeof sk);
    WipeOnExit wipe_b64(sk_b64.data(), sk_b64.size());
    const std::string_view comment = "kiosk sealing SECRET key\n";
    out.secret_text.reserve(detail::kUntrustedPrefix.size() + comment.size() + sk_b64.size() + 1);
    out.secret_text.append(detail::kUntrustedPrefix).append(comment).append(sk_b64).append("\n");
    return out;
}

Result<std::array<uint8_t, 32>> parse_seal_public_key(std::string_view text_or_base64) {
    KIOSK_TRY(detail::ensure_sodium());
    auto b64 = key_line(text_or_base64, "sealing public key", "secret",
                        "this is a sealing SECRET key; give the public key file instead");
    if (!b64) return b64.error();
    std::array<uint8_t, 32> key{};
    KIOSK_TRY(detail::decode_exact(*b64, key.data(), key.size(), "sealing public key"));
    return key;
}

Result<std::array<uint8_t, 32>> parse_seal_secret_key(std::string_view text) {
    KIOSK_TRY(detail::ensure_sodium());
    auto b64 = key_line(text, "sealing secret key", "public",
                        "this is a sealing public key; the secret key file is needed");
    if (!b64) return b64.error();
    std::array<uint8_t, 32> key{};
    WipeOnExit wipe_key(key.data(), key.size());
    KIOSK_TRY(detail::decode_exact(*b64, key.data(), key.size(), "sealing secret key"));
    return key;  // copied into the result before wipe_key clears the local
}

}  // namespace kiosk::sign
