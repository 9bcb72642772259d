// libFuzzer target: the hub's request handling without sockets. The bytes go to every protocol
// decoder (what must round-trip does), and as a request (method, path, token, body) through
// HubApi::handle against an in-memory store with one enrolled terminal.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hub/hub_api.hpp"
#include "sync/protocol.hpp"

using namespace kiosk;

namespace {

constexpr const char* kToken = "fuzz-token-0123456789abcdef0123456789abcdef0123456789abcdef01";

struct Hub {
    hub::HubConfig cfg;
    std::unique_ptr<hub::StorePool> pool;
    std::unique_ptr<hub::HubApi> api;
    Hub() {
        cfg.database = ":memory:";  // one connection: the pool reuses it on this one thread
        cfg.publish_dir = "/nonexistent-fuzz-publish";
        cfg.limits.receipt_delay_ms = 0;
        cfg.limits.max_body_bytes = 1 << 20;
        pool = std::make_unique<hub::StorePool>(cfg.database);
        auto store = pool->acquire();
        if (!store) __builtin_trap();
        if (!(*store)->add_enroll_code(hub::secret_hash("FUZZCODE"), "fuzz", 0, INT64_MAX / 2))
            __builtin_trap();
        if (!(*store)->enroll(hub::secret_hash("FUZZCODE"), "k-0000000000000000",
                              hub::secret_hash(kToken), "fuzz", 1))
            __builtin_trap();
        api = std::make_unique<hub::HubApi>(cfg, *pool);
    }
};

void decoders(std::string_view text) {
    if (auto m = sync::decode_submission_batch(text); m.ok()) {
        auto again = sync::decode_submission_batch(sync::encode(*m));
        if (!again.ok() || again->items.size() != m->items.size()) __builtin_trap();
    }
    if (auto m = sync::decode_heartbeat(text); m.ok()) {
        auto again = sync::decode_heartbeat(sync::encode(*m));
        if (!again.ok() || again->queue_depth != m->queue_depth) __builtin_trap();
    }
    (void)sync::decode_enroll_request(text);
    (void)sync::decode_enroll_response(text);
    (void)sync::decode_submission_results(text);
    (void)sync::decode_heartbeat_answer(text);
    (void)sync::decode_receipt_answer(text);
    (void)sync::decode_error_body(text);
    (void)sync::decode_wire_item(text);
}

}  // namespace

// Input: byte 0 picks the method and whether the real token is sent; then the path up to the
// first newline, a Range header up to the second, and the rest is the body.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Hub hub;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    decoders(text);
    if (size < 1) return 0;
    static const char* const kMethods[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"};
    hub::HttpRequest req;
    req.method = kMethods[data[0] % 6];
    std::string_view rest = text.substr(1);
    size_t nl = rest.find('\n');
    req.path = std::string(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    nl = rest.find('\n');
    std::string range(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    req.body = std::string(rest);
    if (data[0] & 0x8) req.headers.emplace_back("Authorization", std::string("Bearer ") + kToken);
    if (data[0] & 0x10) req.headers.emplace_back("Range", range);
    if (data[0] & 0x20) req.headers.emplace_back("If-None-Match", range);
    hub::HttpResponse res = hub.api->handle(req);
    if (res.status < 200 || res.status > 599) __builtin_trap();
    // Every answer with a body is JSON the kiosk can read (an error body or a message).
    if (!res.body.empty() && res.content_type == "application/json" && res.status >= 400 &&
        !sync::decode_error_body(res.body).ok())
        __builtin_trap();
    (void)hub::HubApi::loggable_path(req.path);
    return 0;
}
