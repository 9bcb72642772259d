// Test helper: prints one submission item as a line of JSON (the wire and export shape), sealed
// to a given county public key, so hub tests can upload, import and open real items.
//   hub_item SEAL_PUB_FILE KIND META_JSON TEXT [CODE]
// With CODE (16 digits, valid check digit; "new" makes one and prints it on stderr) the look-up
// key is the real Argon2id one.
#include <sodium.h>

#include <cstdio>
#include <string>

#include "sign/seal_keys.hpp"
#include "submit/receipt_code.hpp"
#include "submit/sealing.hpp"
#include "submit/submitter.hpp"
#include "sync/protocol.hpp"
#include "util/file_io.hpp"

using namespace kiosk;

int main(int argc, char** argv) {
    if (argc < 5 || argc > 6 || sodium_init() < 0) {
        std::fprintf(stderr, "usage: hub_item SEAL_PUB_FILE KIND META_JSON TEXT [CODE]\n");
        return 2;
    }
    auto text = util::read_file(argv[1], 4096);
    if (!text) return 1;
    auto pk = sign::parse_seal_public_key(*text);
    auto kind = submit::kind_from_name(argv[2]);
    if (!pk || !kind) return 2;
    sync::WireItem item;
    item.id = submit::new_uuid_v4();
    item.kind = *kind;
    item.created_at = 1795000000;
    item.meta_json = argv[3];
    std::string secret = std::string("{\"what\":\"") + argv[4] + "\"";
    if (argc == 6) {
        std::string code = argv[5];
        if (code == "new") {
            code = submit::new_receipt_code();
            std::fprintf(stderr, "%s\n", code.c_str());
        }
        auto key = submit::receipt_lookup_key(code, submit::receipt_salt(*pk));
        if (!key) {
            std::fprintf(stderr, "hub_item: %s\n", key.error().message.c_str());
            return 1;
        }
        item.lookup_key = *key;
        secret += ",\"receipt_code\":\"" + code + "\"";
    }
    auto sealed = submit::seal(*pk, secret + "}");
    if (!sealed) return 1;
    item.sealed = *sealed;
    // encode(SubmissionBatch) wraps the item; the item object alone is what a line holds.
    std::string batch = sync::encode(sync::SubmissionBatch{{item}});
    std::printf("%s\n", batch.substr(10, batch.size() - 12).c_str());
    return 0;
}
