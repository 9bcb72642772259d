// Sealing to the county's key, and the receipt look-up key with its county-wide salt.
#include <doctest/doctest.h>
#include <sodium.h>

#include "submit/receipt_code.hpp"
#include "submit/sealing.hpp"

using namespace kiosk::submit;

namespace {
struct KeyPair {
    SealPublicKey pk{};
    SealSecretKey sk{};
    KeyPair() {
        REQUIRE(sodium_init() >= 0);
        crypto_box_keypair(pk.data(), sk.data());
    }
    ~KeyPair() { sodium_memzero(sk.data(), sk.size()); }
};

std::string hex(const uint8_t* p, size_t n) {
    std::string out(2 * n + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}
}  // namespace

TEST_CASE("sealed text opens only with the county's key pair and does not contain the text") {
    KeyPair county, other;
    const std::string text = R"({"what":"乡计生办王主任收了我五百元","phone":"13812345678"})";
    auto sealed = seal(county.pk, text);
    REQUIRE(sealed.ok());
    CHECK(sealed->size() == text.size() + crypto_box_SEALBYTES);
    CHECK(sealed->find("13812345678") == std::string::npos);
    CHECK(sealed->find("王主任") == std::string::npos);
    auto opened = open_sealed(county.pk, county.sk, *sealed);
    REQUIRE(opened.ok());
    CHECK(*opened == text);
    auto wrong = open_sealed(other.pk, other.sk, *sealed);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "crypto");
    std::string damaged = *sealed;
    damaged[damaged.size() / 2] ^= 1;
    CHECK_FALSE(open_sealed(county.pk, county.sk, damaged).ok());
    CHECK_FALSE(open_sealed(county.pk, county.sk, "short").ok());
    // Sealing the same text twice gives different bytes (a fresh ephemeral key each time).
    CHECK(*seal(county.pk, text) != *sealed);
}

TEST_CASE("the receipt salt is BLAKE2b-128 personalised with kiosk-receipt-v1 over the key") {
    SealPublicKey pk{};
    for (size_t i = 0; i < pk.size(); ++i)
        pk[i] = static_cast<uint8_t>(i);
    // Python: hashlib.blake2b(bytes(range(32)), digest_size=16, person=b'kiosk-receipt-v1')
    auto salt = receipt_salt(pk);
    CHECK(hex(salt.data(), salt.size()) == "045bdf98f2ddf029997745648d17266b");
    KeyPair other;
    CHECK(receipt_salt(other.pk) != salt);
    CHECK(receipt_salt(other.pk) == receipt_salt(other.pk));
}

TEST_CASE("the look-up key is a deterministic Argon2id of the code under the county salt") {
    KeyPair a, b;
    const std::string code = new_receipt_code();
    auto k1 = receipt_lookup_key(code, receipt_salt(a.pk));
    auto k2 = receipt_lookup_key(code, receipt_salt(a.pk));
    REQUIRE(k1.ok());
    REQUIRE(k2.ok());
    CHECK(k1->size() == 64);
    CHECK(k1->find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(*k1 == *k2);
    CHECK(*receipt_lookup_key(code, receipt_salt(b.pk)) != *k1);  // another county
    CHECK(*receipt_lookup_key(new_receipt_code(), receipt_salt(a.pk)) != *k1);
    CHECK(k1->find(code) == std::string::npos);

    // The same computation as the hub would write it with libsodium directly.
    auto salt = receipt_salt(a.pk);
    uint8_t raw[32];
    REQUIRE(crypto_pwhash(raw, sizeof raw, code.data(), code.size(), salt.data(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                          crypto_pwhash_ALG_ARGON2ID13) == 0);
    CHECK(hex(raw, sizeof raw) == *k1);
}

TEST_CASE("a look-up key is refused for a code with a wrong check digit or separators") {
    std::string code = new_receipt_code();
    std::string typo = code;
    typo[3] = typo[3] == '9' ? '0' : static_cast<char>(typo[3] + 1);
    auto salt = receipt_salt(SealPublicKey{});
    CHECK(receipt_lookup_key(typo, salt).error().code == "invalid");
    CHECK(receipt_lookup_key(format_receipt_code(code), salt).error().code == "invalid");
}
