// Sealing a submission for the county (crypto_box_seal) and the receipt look-up key (Argon2id).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::submit {

using SealPublicKey = std::array<uint8_t, 32>;
using SealSecretKey = std::array<uint8_t, 32>;
using ReceiptSalt = std::array<uint8_t, 16>;

// Encrypts plaintext to the county's X25519 public key with an ephemeral key (crypto_box_seal):
// the kiosk keeps no key that could open it again. Raw bytes, 48 longer than the plaintext.
Result<std::string> seal(const SealPublicKey& county_pk, std::string_view plaintext);

// The hub's side (and the tests'): "crypto" error when the bytes were not sealed to this pair.
Result<std::string> open_sealed(const SealPublicKey& pk, const SealSecretKey& sk,
                                std::string_view sealed);

// The county-wide salt for receipt look-up keys: BLAKE2b with a 16-byte output, personalised
// with "kiosk-receipt-v1", over the county's sealing public key. Why derived rather than stored:
// every kiosk and the hub already hold that key (it is in every bundle), so they all agree on the
// salt without a new bundle field; it differs between counties, so a table of keys computed for
// one county is useless in another; and a new sealing key (a key rotation) gives a new salt.
// The salt is not secret, and need not be: the work factor of Argon2id is what protects codes.
ReceiptSalt receipt_salt(const SealPublicKey& county_pk);

// The receipt look-up key the hub indexes: hex of 32 bytes of Argon2id13 (crypto_pwhash at
// OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: 2 passes, 64 MiB, ~50-100 ms) over the 16 ASCII
// digits of the code (no separators) with the county salt. Refuses a code that is not 16 digits
// with a valid check digit ("invalid"); "memory" when 64 MiB cannot be had.
Result<std::string> receipt_lookup_key(std::string_view code_digits, const ReceiptSalt& salt);

}  // namespace kiosk::submit
