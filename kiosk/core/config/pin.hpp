// The technician PIN: stored as an Argon2id string ([maintenance] pin_hash), and wrong guesses
// counted in the state directory so that the lockout survives a restart.
#pragma once

#include <cstdint>
#include <string>

#include "util/result.hpp"

namespace kiosk::config {

// 4 to 12 digits.
bool pin_well_formed(const std::string& pin);
// crypto_pwhash_str at libsodium's interactive limits (64 MiB, 2 passes; ~50 ms here).
Result<std::string> hash_pin(const std::string& pin);
// False for a wrong PIN and for a hash that is not an Argon2id string.
bool pin_matches(const std::string& pin_hash, const std::string& pin);

// Wrong PINs in a row and until when entry is refused. Three are free; from the third on each
// wrong one locks entry for 30 s, doubling up to an hour (3: 30 s, 4: 60 s, ... 10: 3600 s).
struct PinAttempts {
    int failures = 0;
    int64_t locked_until = 0;  // Unix seconds (the one clock, util::wall_now)
};
int64_t lockout_seconds(int failures);
// <state_dir>/maintenance-pin: "failures N\nlocked_until T\n". A missing file is no failures.
std::string pin_attempts_path(const std::string& state_dir);
PinAttempts read_pin_attempts(const std::string& state_dir);
Status write_pin_attempts(const std::string& state_dir, const PinAttempts& a);

}  // namespace kiosk::config
