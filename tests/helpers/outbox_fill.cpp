// Test helper: queues N generated, really sealed submissions into a state dir's outbox, for the
// kioskctl integration test and benchmarks that need a filled queue without the kiosk's screens.
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "submit/outbox.hpp"
#include "submit/sealing.hpp"
#include "submit/submitter.hpp"

using namespace kiosk;
using namespace kiosk::submit;

namespace {
int usage() {
    std::fprintf(stderr, "usage: outbox_fill STATE_DIR COUNT [report|rating|consultation] "
                         "[TEXT] [CREATED_AT]\n"
                         "  seals {\"what\": TEXT} to a fresh key pair and queues COUNT items\n");
    return 2;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 6 || sodium_init() < 0) return usage();
    const std::string state_dir = argv[1];
    const long count = std::strtol(argv[2], nullptr, 10);
    auto kind = kind_from_name(argc > 3 ? argv[3] : "report");
    const std::string text = argc > 4 ? argv[4] : "generated test submission";
    const int64_t created = argc > 5 ? std::strtoll(argv[5], nullptr, 10) : 1795000000;
    if (count < 0 || !kind) return usage();

    SealPublicKey pk{};
    SealSecretKey sk{};
    crypto_box_keypair(pk.data(), sk.data());
    OutboxLimits limits;
    limits.min_free_disk_bytes = 0;
    auto outbox = Outbox::open(state_database_path(state_dir), limits);
    if (!outbox) {
        std::fprintf(stderr, "outbox_fill: %s\n", outbox.error().message.c_str());
        return 1;
    }
    for (long i = 0; i < count; ++i) {
        Submission s;
        s.id = new_uuid_v4();
        s.kind = *kind;
        s.created_at = created + i;
        s.meta_json = std::string("{\"kind\":\"") + kind_name(*kind) +
                      "\",\"created_at\":" + std::to_string(s.created_at) + "}";
        auto sealed = seal(pk, "{\"what\":\"" + text + " " + std::to_string(i) + "\"}");
        if (!sealed) return 1;
        s.sealed = std::move(*sealed);
        if (*kind == Kind::rating) {
            s.rating_target = "window-" + std::to_string(i);
        } else {
            // A stand-in for the Argon2id key (64 hex digits), so filling stays fast.
            uint8_t raw[32];
            randombytes_buf(raw, sizeof raw);
            char hex[65];
            sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
            s.lookup_key = hex;
        }
        if (Status st = outbox->enqueue(s); !st) {
            std::fprintf(stderr, "outbox_fill: item %ld: %s (%s)\n", i, st.error().message.c_str(),
                         st.error().code.c_str());
            return 1;
        }
    }
    std::printf("queued %ld %s items\n", count, kind_name(*kind));
    return 0;
}
