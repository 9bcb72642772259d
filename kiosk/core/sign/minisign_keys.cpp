// minisign key files: parsing .pub and unencrypted secret keys, and generating new key pairs.
#include <sodium.h>

#include <cstdio>
#include <cstring>

#include "sign/minisign.hpp"
#include "sign/minisign_text.hpp"
#include "util/base64.hpp"
#include "util/file_io.hpp"

namespace kiosk::sign {

namespace {

using detail::WipeOnExit;

constexpr uint8_t kSigAlg[2] = {'E', 'd'};
constexpr uint8_t kKdfScrypt[2] = {'S', 'c'};
constexpr uint8_t kKdfNone[2] = {0, 0};
constexpr uint8_t kChkBlake2b[2] = {'B', '2'};

// Key files are a few hundred bytes; anything much larger is not a key.
constexpr uint64_t kMaxKeyFileBytes = 64 * 1024;

// The public key blob: sig_alg(2) key_id(8) pk(32).
constexpr size_t kPublicBlobBytes = 2 + 8 + 32;

// The secret key blob, as minisign lays out SeckeyStruct.
constexpr size_t kOffSigAlg = 0;
constexpr size_t kOffKdfAlg = 2;
constexpr size_t kOffChkAlg = 4;
constexpr size_t kOffKeyId = 6 + 32 + 8 + 8;  // after salt, opslimit and memlimit
constexpr size_t kOffSk = kOffKeyId + 8;
constexpr size_t kOffChk = kOffSk + 64;
constexpr size_t kSecretBlobBytes = kOffChk + 32;

// BLAKE2b-256 of sig_alg || key_id || sk: minisign's check that a key decrypted correctly.
void secret_key_checksum(const uint8_t* blob, uint8_t out[32]) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, 32);
    crypto_generichash_update(&state, blob + kOffSigAlg, 2);
    crypto_generichash_update(&state, blob + kOffKeyId, 8);
    crypto_generichash_update(&state, blob + kOffSk, 64);
    crypto_generichash_final(&state, out, 32);
    sodium_memzero(&state, sizeof state);
}

Result<PublicKey> parse_public_key_line(std::string_view b64) {
    uint8_t blob[kPublicBlobBytes];
    KIOSK_TRY(detail::decode_exact(b64, blob, sizeof blob, "public key"));
    if (std::memcmp(blob, kSigAlg, 2) != 0) {
        return make_error("format",
                          "public key: unsupported signature algorithm (expected \"Ed\")");
    }
    PublicKey key;
    std::memcpy(key.key_id.data(), blob + 2, 8);
    std::memcpy(key.key.data(), blob + 10, 32);
    return key;
}

}  // namespace

std::string PublicKey::key_id_hex() const {
    // minisign prints le64_load(key_id) with %016llX: the last byte comes first.
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (size_t i = key_id.size(); i-- > 0;) {
        out += kHex[key_id[i] >> 4];
        out += kHex[key_id[i] & 0x0F];
    }
    return out;
}

SecretKey::~SecretKey() {
    sodium_memzero(key.data(), key.size());
    sodium_memzero(key_id.data(), key_id.size());
}

PublicKey SecretKey::public_key() const {
    PublicKey pk;
    pk.key_id = key_id;
    std::memcpy(pk.key.data(), key.data() + 32, 32);
    return pk;
}

Result<PublicKey> parse_public_key(std::string_view text) {
    KIOSK_TRY(detail::ensure_sodium());
    auto lines = detail::split_lines(text, 2, "public key");
    if (!lines) return lines.error();
    if (lines->count == 1) {
        if (lines->line[0].substr(0, detail::kUntrustedPrefix.size()) == detail::kUntrustedPrefix) {
            return make_error("format", "public key: the base64 line after the comment is missing");
        }
        return parse_public_key_line(lines->line[0]);
    }
    if (lines->line[0].substr(0, detail::kUntrustedPrefix.size()) != detail::kUntrustedPrefix) {
        return make_error("format", "public key: line 1 must start with \"untrusted comment: \"");
    }
    return parse_public_key_line(lines->line[1]);
}

Result<PublicKey> read_public_key_file(const std::string& path) {
    auto text = util::read_file(path, kMaxKeyFileBytes);
    if (!text) return text.error();
    auto key = parse_public_key(*text);
    if (!key) return make_error(key.error().code, path + ": " + key.error().message);
    return key;
}

Result<SecretKey> parse_secret_key(std::string_view text) {
    KIOSK_TRY(detail::ensure_sodium());
    auto lines = detail::split_lines(text, 2, "secret key");
    if (!lines) return lines.error();
    if (lines->count != 2) {
        return make_error("format", "secret key: expected 2 lines (comment, base64 key), found " +
                                        std::to_string(lines->count));
    }
    if (lines->line[0].substr(0, detail::kUntrustedPrefix.size()) != detail::kUntrustedPrefix) {
        return make_error("format", "secret key: line 1 must start with \"untrusted comment: \"");
    }
    uint8_t blob[kSecretBlobBytes];
    WipeOnExit wipe_blob(blob, sizeof blob);
    KIOSK_TRY(detail::decode_exact(lines->line[1], blob, sizeof blob, "secret key"));
    if (std::memcmp(blob + kOffSigAlg, kSigAlg, 2) != 0) {
        return make_error("format",
                          "secret key: unsupported signature algorithm (expected \"Ed\")");
    }
    if (std::memcmp(blob + kOffChkAlg, kChkBlake2b, 2) != 0) {
        return make_error("format", "secret key: unsupported checksum algorithm (expected \"B2\")");
    }
    if (std::memcmp(blob + kOffKdfAlg, kKdfScrypt, 2) == 0) {
        return make_error(
            "encrypted_key",
            "the secret key is protected by a password; remove it with "
            "`minisign -C -W -s <key file>` or generate the key with `minisign -G -W`");
    }
    if (std::memcmp(blob + kOffKdfAlg, kKdfNone, 2) != 0) {
        return make_error("format", "secret key: unsupported key derivation function");
    }

    // minisign -W writes an all-zero checksum and never checks it for unencrypted keys, so only
    // a present one is verified; the seed/public-key match below catches corruption either way.
    uint8_t chk[32];
    WipeOnExit wipe_chk(chk, sizeof chk);
    if (!sodium_is_zero(blob + kOffChk, 32)) {
        secret_key_checksum(blob, chk);
        if (sodium_memcmp(chk, blob + kOffChk, 32) != 0) {
            return make_error("format", "secret key: checksum mismatch; the key file is corrupt");
        }
    }
    uint8_t derived_pk[32];
    uint8_t derived_sk[64];
    WipeOnExit wipe_sk(derived_sk, sizeof derived_sk);
    crypto_sign_seed_keypair(derived_pk, derived_sk, blob + kOffSk);
    if (sodium_memcmp(derived_sk, blob + kOffSk, 64) != 0) {
        return make_error(
            "format", "secret key: the public half does not match the seed; the key is corrupt");
    }

    SecretKey key;
    std::memcpy(key.key_id.data(), blob + kOffKeyId, 8);
    std::memcpy(key.key.data(), blob + kOffSk, 64);
    return key;
}

Result<SecretKey> read_secret_key_file(const std::string& path) {
    auto text = util::read_file(path, kMaxKeyFileBytes);
    if (!text) return text.error();
    WipeOnExit wipe_text(text->data(), text->size());
    auto key = parse_secret_key(*text);
    if (!key) return make_error(key.error().code, path + ": " + key.error().message);
    return key;
}

Result<KeyPairText> generate_signing_keypair() {
    KIOSK_TRY(detail::ensure_sodium());
    // Zero salt and limits with kdf "\0\0": the unencrypted layout of `minisign -G -W`.
    uint8_t blob[kSecretBlobBytes] = {};
    WipeOnExit wipe_blob(blob, sizeof blob);
    std::memcpy(blob + kOffSigAlg, kSigAlg, 2);
    std::memcpy(blob + kOffKdfAlg, kKdfNone, 2);
    std::memcpy(blob + kOffChkAlg, kChkBlake2b, 2);
    randombytes_buf(blob + kOffKeyId, 8);
    uint8_t pk[32];
    if (crypto_sign_keypair(pk, blob + kOffSk) != 0) {
        return make_error("crypto", "cannot generate an Ed25519 key pair");
    }
    // minisign leaves this zero for -W keys and ignores it; a real checksum lets parsers (ours,
    // and minisign after `-C` adds a password) detect a damaged file.
    secret_key_checksum(blob, blob + kOffChk);

    uint8_t pub_blob[kPublicBlobBytes];
    std::memcpy(pub_blob, kSigAlg, 2);
    std::memcpy(pub_blob + 2, blob + kOffKeyId, 8);
    std::memcpy(pub_blob + 10, pk, 32);
    PublicKey pub;
    std::memcpy(pub.key_id.data(), blob + kOffKeyId, 8);

    KeyPairText out;
    out.public_text = std::string(detail::kUntrustedPrefix) + "minisign public key " +
                      pub.key_id_hex() + "\n" + util::base64_encode(pub_blob, sizeof pub_blob) +
                      "\n";
    std::string secret_b64 = util::base64_encode(blob, sizeof blob);
    WipeOnExit wipe_b64(secret_b64.data(), secret_b64.size());
    const std::string_view comment = "minisign unencrypted secret key\n";
    out.secret_text.reserve(detail::kUntrustedPrefix.size() + comment.size() + secret_b64.size() +
                            1);
    out.secret_text.append(detail::kUntrustedPrefix)
        .append(comment)
        .append(secret_b64)
        .append("\n");
    return out;
}

}  // namespace kiosk::sign
