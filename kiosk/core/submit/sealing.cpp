// crypto_box_seal for submissions, and the Argon2id receipt look-up key with its county salt.
#include "submit/sealing.hpp"

#include <sodium.h>

#include "submit/receipt_code.hpp"

namespace kiosk::submit {

namespace {

Status sodium_ready() {
    static const int rc = sodium_init();  // 0 first time, 1 after; -1 only if it cannot start
    if (rc < 0) return make_error("crypto", "libsodium cannot start");
    return {};
}

constexpr char kSaltPersonal[crypto_generichash_blake2b_PERSONALBYTES + 1] = "kiosk-receipt-v1";

}  // namespace

Result<std::string> seal(const SealPublicKey& county_pk, std::string_view plaintext) {
    KIOSK_TRY(sodium_ready());
    std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        county_pk.data()) != 0) {
        return make_error("crypto", "cannot seal: the county's public key is not usable");
    }
    return out;
}

Result<std::string> open_sealed(const SealPublicKey& pk, const SealSecretKey& sk,
                                std::string_view sealed) {
    KIOSK_TRY(sodium_ready());
    if (sealed.size() < crypto_box_SEALBYTES) {
        return make_error("crypto", "sealed data is shorter than a sealed box");
    }
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()),
                             reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                             pk.data(), sk.data()) != 0) {
        sodium_memzero(out.data(), out.size());
        return make_error("crypto", "cannot open: not sealed to this key pair, or damaged");
    }
    return out;
}

ReceiptSalt receipt_salt(const SealPublicKey& county_pk) {
    (void)sodium_ready();  // BLAKE2b needs no initialised state; this only picks fast code paths
    ReceiptSalt salt{};
    static_assert(sizeof(ReceiptSalt) == crypto_pwhash_SALTBYTES, "Argon2id takes a 16-byte salt");
    crypto_generichash_blake2b_salt_personal(salt.data(), salt.size(), county_pk.data(),
                                             county_pk.size(), nullptr, 0, nullptr,
                                             reinterpret_cast<const unsigned char*>(kSaltPersonal));
    return salt;
}

Result<std::string> receipt_lookup_key(std::string_view code_digits, const ReceiptSalt& salt) {
    KIOSK_TRY(sodium_ready());
    if (!receipt_code_valid(code_digits)) {
        return make_error("invalid", "a receipt code is 16 digits with a valid check digit");
    }
    unsigned char key[32];
    if (crypto_pwhash(key, sizeof key, code_digits.data(), code_digits.size(), salt.data(),
                      crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return make_error("memory", "not enough memory for the receipt look-up key (64 MiB)");
    }
    char hex[2 * sizeof key + 1];
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    sodium_memzero(key, sizeof key);
    return std::string(hex, 2 * sizeof key);
}

}  // namespace kiosk::submit
