// minisign-compatible keys and signatures: parse, format, sign, verify and generate, with
// libsodium.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace kiosk::sign {

struct PublicKey {
    std::array<uint8_t, 8> key_id{};
    std::array<uint8_t, 32> key{};  // Ed25519 public key
    // 16 uppercase hex digits, as minisign prints key ids (the id read as a little-endian uint64).
    std::string key_id_hex() const;
};

struct SecretKey {
    std::array<uint8_t, 8> key_id{};
    std::array<uint8_t, 64> key{};  // Ed25519 secret key: 32-byte seed, then the public key
    ~SecretKey();                   // wipes key with sodium_memzero
    PublicKey public_key() const;
};

struct Signature {
    bool prehashed = true;  // "ED" (BLAKE2b-512 of the file is signed); false: legacy "Ed"
    std::array<uint8_t, 8> key_id{};
    std::array<uint8_t, 64> sig{};
    std::string untrusted_comment;         // without the "untrusted comment: " prefix
    std::string trusted_comment;           // without the "trusted comment: " prefix
    std::array<uint8_t, 64> global_sig{};  // signs sig || trusted_comment
};

// Errors: "format" (malformed text, with a message naming the line and the problem), "io" or
// "too_large" from reading files.

// A minisign .pub file's content (untrusted comment line + base64 line), or a bare base64 key line.
Result<PublicKey> parse_public_key(std::string_view text);
Result<PublicKey> read_public_key_file(const std::string& path);

// An UNENCRYPTED minisign secret key file (`minisign -G -W`). An encrypted key gives
// "encrypted_key". The checksum is verified when present (minisign -W leaves it zero), and the
// public half must match the seed.
Result<SecretKey> parse_secret_key(std::string_view text);
Result<SecretKey> read_secret_key_file(const std::string& path);

// The 4-line .minisig format.
Result<Signature> parse_signature(std::string_view text);
Result<Signature> read_signature_file(const std::string& path);
// Byte-identical to what minisign writes.
std::string format_signature(const Signature& sig);

// Signs a file in prehashed form (BLAKE2b-512, streamed) and returns the .minisig text.
// Comments must be one line; the trusted one at most 8173 bytes and the untrusted one at most
// 1003 bytes, the limits minisign reads back ("format" otherwise).
Result<std::string>
sign_file(const std::string& path, const SecretKey& key, std::string_view trusted_comment,
          std::string_view untrusted_comment = "signature from kiosk-bundle secret key");

// Checks, in order: the signature's key id is one of `trusted` ("unknown_key"), the file
// signature ("bad_signature"), the global signature over sig || trusted comment
// ("bad_trusted_comment"). Returns the key that verified. Read failures give "io".
// Prehashed files are streamed in 1 MiB chunks; legacy ones are read whole (up to 1 GiB).
Result<PublicKey> verify_file(const std::string& path, const Signature& sig,
                              const std::vector<PublicKey>& trusted);

// BLAKE2b-512 of a file's bytes: what a prehashed ("ED") signature signs.
using Prehash = std::array<uint8_t, 64>;

// Hashes bytes as they stream past, so a copy can be hashed without reading it again.
class Prehasher {
public:
    Prehasher();
    void update(const void* data, size_t size);
    Prehash finish();

private:
    crypto_generichash_state state_;
};

// verify_file's checks for a prehashed signature, given the hash of the bytes. `name` is used in
// messages. A legacy signature gives "format": it signs the whole file, not its hash.
Result<PublicKey> verify_prehash(const Prehash& hash, const Signature& sig,
                                 const std::vector<PublicKey>& trusted, const std::string& name);

struct KeyPairText {
    std::string public_text;  // as `minisign -G` writes the .pub file
    std::string secret_text;  // unencrypted, as `minisign -G -W` writes it (plus the checksum)
};
// A new Ed25519 key pair with a random key id.
Result<KeyPairText> generate_signing_keypair();

}  // namespace kiosk::sign
