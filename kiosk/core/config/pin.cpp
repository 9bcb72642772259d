// Hashing and checking the technician PIN, and the persistent count of wrong guesses.
#include "config/pin.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "util/file_io.hpp"

namespace kiosk::config {

bool pin_well_formed(const std::string& pin) {
    return pin.size() >= 4 && pin.size() <= 12 &&
           std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::string> hash_pin(const std::string& pin) {
    if (sodium_init() < 0) return make_error("crypto", "libsodium cannot start");
    if (!pin_well_formed(pin)) return make_error("invalid", "a PIN is 4 to 12 digits");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return make_error("crypto", "Argon2id ran out of memory");
    return std::string(out);
}

bool pin_matches(const std::string& pin_hash, const std::string& pin) {
    if (sodium_init() < 0 || pin_hash.rfind("$argon2id$", 0) != 0) return false;
    return crypto_pwhash_str_verify(pin_hash.c_str(), pin.data(), pin.size()) == 0;
}

int64_t lockout_seconds(int failures) {
    if (failures < 3) return 0;
    int64_t s = 30;
    for (int i = 3; i < failures && s < 3600; ++i)
        s *= 2;
    return std::min<int64_t>(s, 3600);
}

std::string pin_attempts_path(const std::string& state_dir) {
    return state_dir + "/maintenance-pin";
}

PinAttempts read_pin_attempts(const std::string& state_dir) {
    PinAttempts a;
    auto text = util::read_file(pin_attempts_path(state_dir), 4096);
    if (!text) return a;
    std::istringstream in(*text);
    std::string key;
    long long v = 0;
    while (in >> key >> v) {
        if (key == "failures") a.failures = static_cast<int>(std::clamp(v, 0LL, 1000000LL));
        if (key == "locked_until") a.locked_until = v;
    }
    return a;
}

Status write_pin_attempts(const std::string& state_dir, const PinAttempts& a) {
    return util::write_file_atomic(pin_attempts_path(state_dir),
                                   "failures " + std::to_string(a.failures) + "\nlocked_until " +
                                       std::to_string(a.locked_until) + "\n");
}

}  // namespace kiosk::config
