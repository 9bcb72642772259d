// libFuzzer target: every minisign and sealing key parser must reject garbage without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sign/minisign.hpp"
#include "sign/seal_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto pub = kiosk::sign::parse_public_key(text);
    if (pub.ok()) (void)pub->key_id_hex();
    auto sec = kiosk::sign::parse_secret_key(text);
    if (sec.ok()) (void)sec->public_key();
    auto sig = kiosk::sign::parse_signature(text);
    if (sig.ok()) {
        // Whatever parses must format back to text that parses to the same signature.
        auto again = kiosk::sign::parse_signature(kiosk::sign::format_signature(*sig));
        if (!again.ok() || again->sig != sig->sig || again->global_sig != sig->global_sig ||
            again->trusted_comment != sig->trusted_comment ||
            again->untrusted_comment != sig->untrusted_comment ||
            again->prehashed != sig->prehashed || again->key_id != sig->key_id) {
            __builtin_trap();
        }
    }
    (void)kiosk::sign::parse_seal_public_key(text);
    (void)kiosk::sign::parse_seal_secret_key(text);
    return 0;
}
