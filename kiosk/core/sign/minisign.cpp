// minisign signatures: the .minisig text format, signing files and verifying them against keys.
#include "sign/minisign.hpp"

#include <sodium.h>

#include <cstring>

#include "sign/minisign_text.hpp"
#include "util/base64.hpp"
#include "util/file_io.hpp"

namespace kiosk::sign {

namespace {

using detail::WipeOnExit;

constexpr uint8_t kAlgLegacy[2] = {'E', 'd'};
constexpr uint8_t kAlgPrehashed[2] = {'E', 'D'};

// sig_alg(2) key_id(8) sig(64), the second line of a .minisig file.
constexpr size_t kSigBlobBytes = 2 + 8 + 64;

constexpr uint64_t kMaxSignatureFileBytes = 64 * 1024;
// Legacy signatures cover the whole file, which must then sit in memory; minisign had this cap.
constexpr uint64_t kMaxLegacyFileBytes = uint64_t{1} << 30;

// What minisign can read back: fgets into 8192- and 1024-byte buffers, prefix and newline included.
constexpr size_t kMaxTrustedCommentBytes = 8192 - 1 - 17 - 1;
constexpr size_t kMaxUntrustedCommentBytes = 1024 - 1 - 19 - 1;

// BLAKE2b-512 of the file, read in 1 MiB chunks so bundles of any size hash in constant memory.
Result<Prehash> hash_file(const std::string& path) {
    Prehasher hasher;
    KIOSK_TRY(util::read_chunks(path, UINT64_MAX, [&](const char* data, size_t size) -> Status {
        hasher.update(data, size);
        return {};
    }));
    return hasher.finish();
}

Status check_comment(std::string_view comment, size_t max_bytes, const char* which) {
    if (comment.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
        return make_error("format",
                          std::string(which) + " comment must be one line without NUL bytes");
    }
    if (comment.size() > max_bytes) {
        return make_error("format",
                          std::string(which) + " comment is " + std::to_string(comment.size()) +
                              " bytes; minisign reads at most " + std::to_string(max_bytes));
    }
    return {};
}

std::string signed_trusted_comment(const std::array<uint8_t, 64>& sig, std::string_view comment) {
    std::string message(reinterpret_cast<const char*>(sig.data()), sig.size());
    message.append(comment);
    return message;
}

bool has_prefix(std::string_view line, std::string_view prefix) {
    return line.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<Signature> parse_signature(std::string_view text) {
    KIOSK_TRY(detail::ensure_sodium());
    auto lines = detail::split_lines(text, 4, "signature");
    if (!lines) return lines.error();
    if (lines->count != 4) {
        return make_error("format", "signature: expected 4 lines (untrusted comment, signature, "
                                    "trusted comment, global signature), found " +
                                        std::to_string(lines->count));
    }
    const auto& line = lines->line;
    if (!has_prefix(line[0], detail::kUntrustedPrefix)) {
        return make_error("format", "signature: line 1 must start with \"untrusted comment: \"");
    }
    if (!has_prefix(line[2], detail::kTrustedPrefix)) {
        return make_error("format", "signature: line 3 must start with \"trusted comment: \"");
    }
    uint8_t blob[kSigBlobBytes];
    KIOSK_TRY(detail::decode_exact(line[1], blob, sizeof blob, "signature: line 2"));
    Signature sig;
    if (std::memcmp(blob, kAlgPrehashed, 2) == 0) {
        sig.prehashed = true;
    } else if (std::memcmp(blob, kAlgLegacy, 2) == 0) {
        sig.prehashed = false;
    } else {
        return make_error("format", "signature: unsupported algorithm (expected \"ED\" or \"Ed\")");
    }
    std::memcpy(sig.key_id.data(), blob + 2, 8);
    std::memcpy(sig.sig.data(), blob + 10, 64);
    KIOSK_TRY(detail::decode_exact(line[3], sig.global_sig.data(), sig.global_sig.size(),
                                   "signature: line 4 (global signature)"));
    sig.untrusted_comment = std::string(line[0].substr(detail::kUntrustedPrefix.size()));
    sig.trusted_comment = std::string(line[2].substr(detail::kTrustedPrefix.size()));
    return sig;
}

Result<Signature> read_signature_file(const std::string& path) {
    auto text = util::read_file(path, kMaxSignatureFileBytes);
    if (!text) return text.error();
    auto sig = parse_signature(*text);
    if (!sig) return make_error(sig.error().code, path + ": " + sig.error().message);
    return sig;
}

std::string format_signature(const Signature& sig) {
    uint8_t blob[kSigBlobBytes];
    std::memcpy(blob, sig.prehashed ? kAlgPrehashed : kAlgLegacy, 2);
    std::memcpy(blob + 2, sig.key_id.data(), 8);
    std::memcpy(blob + 10, sig.sig.data(), 64);
    std::string out;
    out.append(detail::kUntrustedPrefix).append(sig.untrusted_comment).append("\n");
    out.append(util::base64_encode(blob, sizeof blob)).append("\n");
    out.append(detail::kTrustedPrefix).append(sig.trusted_comment).append("\n");
    out.append(util::base64_encode(sig.global_sig.data(), sig.global_sig.size())).append("\n");
    return out;
}

Result<std::string> sign_file(const std::string& path, const SecretKey& key,
                              std::string_view trusted_comment,
                              std::string_view untrusted_comment) {
    KIOSK_TRY(detail::ensure_sodium());
    KIOSK_TRY(check_comment(trusted_comment, kMaxTrustedCommentBytes, "trusted"));
    KIOSK_TRY(check_comment(untrusted_comment, kMaxUntrustedCommentBytes, "untrusted"));
    auto hash = hash_file(path);
    if (!hash) return hash.error();

    Signature sig;
    sig.prehashed = true;
    sig.key_id = key.key_id;
    sig.untrusted_comment = std::string(untrusted_comment);
    sig.trusted_comment = std::string(trusted_comment);
    crypto_sign_detached(sig.sig.data(), nullptr, hash->data(), hash->size(), key.key.data());
    std::string global = signed_trusted_comment(sig.sig, trusted_comment);
    crypto_sign_detached(sig.global_sig.data(), nullptr,
                         reinterpret_cast<const uint8_t*>(global.data()), global.size(),
                         key.key.data());
    return format_signature(sig);
}

namespace {

// The checks shared by file and prehash verification; check_message verifies sig.sig with a key.
template <class CheckMessage>
Result<PublicKey> verify_with(const Signature& sig, const std::vector<PublicKey>& trusted,
                              const std::string& name, CheckMessage check_message) {
    KIOSK_TRY(detail::ensure_sodium());
    const PublicKey* key = nullptr;
    for (const auto& candidate : trusted) {
        if (candidate.key_id == sig.key_id) {
            key = &candidate;
            break;
        }
    }
    if (!key) {
        PublicKey signer;
        signer.key_id = sig.key_id;
        return make_error("unknown_key", "the signature was made with key " + signer.key_id_hex() +
                                             ", which is not one of the " +
                                             std::to_string(trusted.size()) + " trusted keys");
    }
    auto rc = check_message(*key);
    if (!rc) return rc.error();
    if (*rc != 0) {
        return make_error("bad_signature", name + " does not match its signature from key " +
                                               key->key_id_hex() +
                                               " (the file was changed or damaged)");
    }
    std::string global = signed_trusted_comment(sig.sig, sig.trusted_comment);
    if (crypto_sign_verify_detached(sig.global_sig.data(),
                                    reinterpret_cast<const uint8_t*>(global.data()), global.size(),
                                    key->key.data()) != 0) {
        return make_error("bad_trusted_comment",
                          "the trusted comment of the signature for " + name +
                              " was altered (its global signature does not verify)");
    }
    return *key;
}

}  // namespace

Result<PublicKey> verify_file(const std::string& path, const Signature& sig,
                              const std::vector<PublicKey>& trusted) {
    return verify_with(sig, trusted, path, [&](const PublicKey& key) -> Result<int> {
        if (sig.prehashed) {
            auto hash = hash_file(path);
            if (!hash) return hash.error();
            return crypto_sign_verify_detached(sig.sig.data(), hash->data(), hash->size(),
                                               key.key.data());
        }
        auto data = util::read_file(path, kMaxLegacyFileBytes);
        if (!data) return data.error();
        return crypto_sign_verify_detached(sig.sig.data(),
                                           reinterpret_cast<const uint8_t*>(data->data()),
                                           data->size(), key.key.data());
    });
}

Result<PublicKey> verify_prehash(const Prehash& hash, const Signature& sig,
                                 const std::vector<PublicKey>& trusted, const std::string& name) {
    if (!sig.prehashed) {
        return make_error("format", "a legacy (non-prehashed) signature needs the whole file");
    }
    return verify_with(sig, trusted, name, [&](const PublicKey& key) -> Result<int> {
        return crypto_sign_verify_detached(sig.sig.data(), hash.data(), hash.size(),
                                           key.key.data());
    });
}

Prehasher::Prehasher() {
    (void)detail::ensure_sodium();
    crypto_generichash_init(&state_, nullptr, 0, crypto_generichash_BYTES_MAX);
}

void Prehasher::update(const void* data, size_t size) {
    crypto_generichash_update(&state_, static_cast<const uint8_t*>(data), size);
}

Prehash Prehasher::finish() {
    Prehash hash{};
    crypto_generichash_final(&state_, hash.data(), hash.size());
    return hash;
}

}  // namespace kiosk::sign
