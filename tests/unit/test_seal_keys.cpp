// Tests for sign/seal_keys: the county's sealing key files round-trip and really seal and open.
#include <doctest/doctest.h>
#include <sodium.h>

#include <string>

#include "sign/seal_keys.hpp"

using namespace kiosk::sign;

TEST_CASE("a generated seal key pair parses back and seals a message only its secret opens") {
    auto pair = generate_seal_keypair();
    REQUIRE(pair.ok());
    CHECK(pair->public_text ==
          "untrusted comment: kiosk sealing public key\n" + pair->public_base64 + "\n");
    CHECK(pair->secret_text.rfind("untrusted comment: kiosk sealing SECRET key\n", 0) == 0);
    auto pk = parse_seal_public_key(pair->public_text);
    auto pk_bare = parse_seal_public_key(pair->public_base64);
    auto sk = parse_seal_secret_key(pair->secret_text);
    REQUIRE(pk.ok());
    REQUIRE(pk_bare.ok());
    REQUIRE(sk.ok());
    CHECK(*pk == *pk_bare);

    uint8_t derived[crypto_box_PUBLICKEYBYTES];
    crypto_scalarmult_base(derived, sk->data());
    CHECK(std::equal(derived, derived + sizeof derived, pk->begin()));

    const std::string message = "a report from the kiosk";
    std::string sealed(message.size() + crypto_box_SEALBYTES, '\0');
    auto* sealed_bytes = reinterpret_cast<unsigned char*>(sealed.data());
    REQUIRE(crypto_box_seal(sealed_bytes, reinterpret_cast<const unsigned char*>(message.data()),
                            message.size(), pk->data()) == 0);
    std::string opened(message.size(), '\0');
    REQUIRE(crypto_box_seal_open(reinterpret_cast<unsigned char*>(opened.data()), sealed_bytes,
                                 sealed.size(), pk->data(), sk->data()) == 0);
    CHECK(opened == message);
}

TEST_CASE("a seal secret key is refused where the public key is expected, and the reverse") {
    auto pair = generate_seal_keypair();
    REQUIRE(pair.ok());
    auto as_public = parse_seal_public_key(pair->secret_text);
    REQUIRE_FALSE(as_public.ok());
    CHECK(as_public.error().code == "format");
    CHECK(as_public.error().message.find("SECRET") != std::string::npos);
    auto as_secret = parse_seal_secret_key(pair->public_text);
    REQUIRE_FALSE(as_secret.ok());
    CHECK(as_secret.error().code == "format");
}

TEST_CASE("malformed seal keys give format errors") {
    auto pair = generate_seal_keypair();
    REQUIRE(pair.ok());
    const std::string b64 = pair->public_base64;
    const std::string cases[] = {
        "",
        "untrusted comment: kiosk sealing public key\n",
        "no prefix\n" + b64 + "\n",
        "untrusted comment: kiosk sealing public key\n" + b64 + "\nmore\n",
        b64.substr(0, 40),
        b64 + "AAAA",
        b64.substr(0, 43) + "*",
        // A minisign public key is 42 bytes, not 32.
        "untrusted comment: minisign public key 55E459A1B65D6532\n"
        "RWQyZV22oVnkVSf/i+6Z1afgFumJfsJlUlXeCrGGjEKf/4pVdu0jklN0\n",
        std::string(9000, 'A'),
    };
    for (const auto& text : cases) {
        CAPTURE(text);
        auto pk = parse_seal_public_key(text);
        REQUIRE_FALSE(pk.ok());
        CHECK(pk.error().code == "format");
        auto sk = parse_seal_secret_key(text);
        REQUIRE_FALSE(sk.ok());
        CHECK(sk.error().code == "format");
    }
}
