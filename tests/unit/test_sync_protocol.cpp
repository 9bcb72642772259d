// The kiosk ↔ hub messages: what one side encodes the other decodes, and untrusted bodies are
// refused with a reason instead of crashing or half-parsing.
#include <doctest/doctest.h>

#include <string>

#include "submit/draft.hpp"
#include "sync/protocol.hpp"

using namespace kiosk;
using namespace kiosk::sync;

namespace {

WireItem sample_item() {
    WireItem it;
    it.id = "0f8c2b5e-4d1a-4c3b-9a7e-1234567890ab";
    it.kind = submit::Kind::report;
    it.created_at = 1764237600;
    it.meta_json = R"({"category":"乱收费乱罚款","kind":"report"})";
    it.sealed = std::string("\x00\x01\xfe\xff sealed", 10);
    it.lookup_key = std::string(64, 'a');
    return it;
}

}  // namespace

TEST_CASE("a batch of items survives the trip, bytes and all") {
    SubmissionBatch b;
    b.items.push_back(sample_item());
    WireItem rating = sample_item();
    rating.id = "1f8c2b5e-4d1a-4c3b-9a7e-1234567890ab";
    rating.kind = submit::Kind::rating;
    rating.lookup_key.clear();
    b.items.push_back(rating);
    auto back = decode_submission_batch(encode(b));
    REQUIRE(back.ok());
    REQUIRE(back->items.size() == 2);
    CHECK(back->items[0].sealed == b.items[0].sealed);
    CHECK(back->items[0].meta_json == b.items[0].meta_json);
    CHECK(back->items[0].lookup_key == b.items[0].lookup_key);
    CHECK(back->items[1].kind == submit::Kind::rating);
    CHECK(back->items[1].lookup_key.empty());
}

TEST_CASE("results, heartbeats, offers and receipts round-trip") {
    SubmissionResults r{{{"a", ItemOutcome::stored, ""},
                         {"b", ItemOutcome::duplicate, ""},
                         {"c", ItemOutcome::rejected, "unknown_category"}},
                        42};
    auto rb = decode_submission_results(encode(r));
    REQUIRE(rb.ok());
    REQUIRE(rb->results.size() == 3);
    CHECK(rb->results[1].outcome == ItemOutcome::duplicate);
    CHECK(rb->results[2].reason == "unknown_category");
    CHECK(rb->server_time == 42);

    Heartbeat h{"0.1.0", 7, 12, 3600, 1, 1 << 30, 1764237600, 1764230000, "hub: timeout"};
    auto hb = decode_heartbeat(encode(h));
    REQUIRE(hb.ok());
    CHECK(hb->queue_depth == 12);
    CHECK(hb->last_error == "hub: timeout");

    HeartbeatAnswer a{99,
                      BundleOffer{8, "/api/v1/bundles/8.kbundle",
                                  "/api/v1/bundles/8.kbundle.minisig", 1000, std::string(64, 'f')}};
    auto ab = decode_heartbeat_answer(encode(a));
    REQUIRE(ab.ok());
    REQUIRE(ab->bundle.has_value());
    CHECK(ab->bundle->version == 8);
    CHECK(decode_heartbeat_answer(encode(HeartbeatAnswer{5, std::nullopt}))->bundle ==
          std::nullopt);

    auto rc = decode_receipt_answer(encode(ReceiptAnswer{"answered", "已核实并退还费用。", 5}));
    REQUIRE(rc.ok());
    CHECK(rc->reply == "已核实并退还费用。");
}

TEST_CASE("untrusted batches are refused with the reason") {
    auto refused = [](const std::string& body) {
        auto r = decode_submission_batch(body);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "malformed");
        return r.error().message;
    };
    refused("");
    refused("[1,2]");
    refused("{\"items\": 5}");
    refused("{\"items\": []}");
    CHECK(refused("{\"items\": [{\"id\": 5}]}").find("'id'") != std::string::npos);
    std::string item = encode(SubmissionBatch{{sample_item()}});
    auto with = [&](const std::string& from, const std::string& to) {
        std::string s = item;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    refused(with("0f8c2b5e-4d1a", "../../etc/pa"));              // not a UUID
    refused(with("\"kind\":\"report\"", "\"kind\":\"bribe\""));  // unknown kind
    refused(with(std::string(64, 'a'), std::string(63, 'a')));   // short look-up key
    refused(with("\"created_at\":1764237600", "\"created_at\":\"yesterday\""));
    refused(with("\"sealed\":\"", "\"sealed\":\"!!"));  // not base64
    std::string many = "{\"items\":[";
    std::string one = item.substr(item.find('[') + 1, item.rfind(']') - item.find('[') - 1);
    for (size_t i = 0; i <= kMaxBatchItems; ++i)
        many += (i ? "," : "") + one;
    many += "]}";
    CHECK(refused(many).find("more than") != std::string::npos);
    refused("{\"items\":[" + one.substr(0, one.size() / 2));  // cut off
    refused(with("report\"", "report\xff\""));                // invalid UTF-8
}

TEST_CASE("other untrusted bodies are refused") {
    CHECK_FALSE(decode_enroll_request("{\"code\": \"\"}").ok());
    CHECK_FALSE(decode_enroll_request("{\"code\": 12}").ok());
    CHECK(decode_enroll_request("{\"code\": \"ABCD-EFGH\"}").ok());
    CHECK_FALSE(decode_heartbeat("{\"queue_depth\": \"lots\"}").ok());
    CHECK_FALSE(decode_heartbeat_answer("{\"server_time\": 1, \"bundle\": {\"version\": 3}}").ok());
    CHECK_FALSE(decode_receipt_answer("{\"status\": \"bribed\"}").ok());
    CHECK_FALSE(
        decode_submission_results("{\"results\": [{\"id\": \"a\", \"status\": \"eaten\"}]}").ok());
    CHECK(is_lookup_key(std::string(64, '0')));
    CHECK_FALSE(is_lookup_key(std::string(64, 'A')));
}
