// The hub's store and its request handler without sockets: enrolment codes work once, tokens
// are kept only hashed, batches are idempotent across connections, receipts and staged rollout.
#include <doctest/doctest.h>

#include "hub/hub_api.hpp"
#include "hub/hub_store.hpp"
#include "hub/item_check.hpp"
#include "test_support.hpp"

using namespace kiosk;
using namespace kiosk::hub;

namespace {

sync::WireItem item(const std::string& id, submit::Kind kind, const std::string& meta,
                    const std::string& key = "") {
    sync::WireItem it;
    it.id = id;
    it.kind = kind;
    it.created_at = 1795000000;
    it.meta_json = meta;
    it.sealed = std::string("\x00sealed\xff", 8);
    it.lookup_key = key;
    return it;
}

const std::string kId1 = "0f8c2b5e-4d1a-4c3b-9a7e-000000000001";
const std::string kId2 = "0f8c2b5e-4d1a-4c3b-9a7e-000000000002";

HubStore open_store(const std::string& path) {
    auto s = HubStore::open(path);
    REQUIRE(s.ok());
    return std::move(*s);
}

}  // namespace

TEST_CASE("hub store: an enrolment code works once and only before it expires") {
    testing::TempDir dir;
    HubStore s = open_store(dir / "hub.db");
    REQUIRE(s.add_enroll_code(secret_hash("CODE1"), "A", 100, 200).ok());
    auto first = s.enroll(secret_hash("CODE1"), "k-1", secret_hash("tok1"), "h", 150);
    REQUIRE(first.ok());
    CHECK(*first == "A");
    auto again = s.enroll(secret_hash("CODE1"), "k-2", secret_hash("tok2"), "h", 151);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "bad_code");
    REQUIRE(s.add_enroll_code(secret_hash("CODE2"), "A", 100, 200).ok());
    auto late = s.enroll(secret_hash("CODE2"), "k-3", secret_hash("tok3"), "h", 200);
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().code == "bad_code");
    auto unknown = s.enroll(secret_hash("NOPE"), "k-4", secret_hash("tok4"), "h", 150);
    CHECK_FALSE(unknown.ok());
    // Only k-1 exists, found by its token's hash; revoking it is remembered.
    auto t = s.terminal_by_token(secret_hash("tok1"));
    REQUIRE(t.ok());
    REQUIRE(t->has_value());
    CHECK((*t)->id == "k-1");
    CHECK_FALSE((*t)->revoked_at);
    CHECK_FALSE(s.terminal_by_token(secret_hash("tok2"))->has_value());
    REQUIRE(*s.revoke("k-1", 300));
    CHECK(*(*s.terminal_by_token(secret_hash("tok1")))->revoked_at == 300);
    CHECK_FALSE(*s.revoke("k-9", 300));
    // The database never holds a token or code in the clear.
    CHECK(testing::read_text(dir / "hub.db").find("tok1") == std::string::npos);
}

TEST_CASE("hub store: a batch stores new ids once, duplicates win over rejection, across "
          "connections") {
    testing::TempDir dir;
    auto a = item(kId1, submit::Kind::consultation, "{}", std::string(64, 'a'));
    auto b = item(kId2, submit::Kind::consultation, "{}");
    {
        HubStore s = open_store(dir / "hub.db");
        auto r = s.store_batch({{&a, ""}, {&a, ""}, {&b, "bad_meta"}}, "k-1", "api", 10, 20);
        REQUIRE(r.ok());
        REQUIRE(r->size() == 3);
        CHECK((*r)[0].outcome == sync::ItemOutcome::stored);
        CHECK((*r)[1].outcome == sync::ItemOutcome::duplicate);
        CHECK((*r)[2].outcome == sync::ItemOutcome::rejected);
        CHECK((*r)[2].reason == "bad_meta");
    }
    HubStore s = open_store(dir / "hub.db");  // as after a restart
    auto r = s.store_batch({{&a, "unknown_category"}, {&b, ""}}, "k-2", "api", 11, 21);
    REQUIRE(r.ok());
    CHECK((*r)[0].outcome == sync::ItemOutcome::duplicate);
    CHECK((*r)[1].outcome == sync::ItemOutcome::stored);
    CHECK(*s.submission_count() == 2);
    auto stored = s.submission(kId1);
    REQUIRE(stored->has_value());
    CHECK((*stored)->sealed == a.sealed);
    CHECK((*stored)->terminal == "k-1");
    CHECK((*stored)->deadline == 20);
}

TEST_CASE("hub store: receipts by look-up key show the reply set later") {
    testing::TempDir dir;
    HubStore s = open_store(dir / "hub.db");
    const std::string key(64, 'b');
    auto a = item(kId1, submit::Kind::report, R"({"category":"x"})", key);
    REQUIRE(s.store_batch({{&a, ""}}, "k-1", "api", 10, 20).ok());
    auto r = s.receipt(key);
    REQUIRE(r->has_value());
    CHECK((*r)->status == "received");
    CHECK((*r)->reply.empty());
    REQUIRE(*s.set_reply(kId1, "answered", "已处理", 30));
    r = s.receipt(key);
    CHECK((*r)->status == "answered");
    CHECK((*r)->reply == "已处理");
    CHECK((*r)->updated_at == 30);
    CHECK_FALSE(s.receipt(std::string(64, 'c'))->has_value());
    CHECK_FALSE(*s.set_reply(kId2, "closed", "", 31));
}

TEST_CASE("hub store: staged rollout offers a township its newest bundle") {
    testing::TempDir dir;
    HubStore s = open_store(dir / "hub.db");
    PublishedBundle v1{1, "v1.kbundle", std::string(64, '1'), 10, "v1.sig", "s", 1, {}, 5};
    PublishedBundle v2{2, "v2.kbundle", std::string(64, '2'), 20, "v2.sig", "s", 1, {"A"}, 6};
    REQUIRE(s.add_bundle(v1).ok());
    REQUIRE(s.add_bundle(v2).ok());
    CHECK((*s.bundle_for_township("A"))->version == 2);
    CHECK((*s.bundle_for_township("B"))->version == 1);
    CHECK((*s.latest_bundle())->version == 2);
    CHECK((*s.bundle(2))->townships == std::vector<std::string>{"A"});
    CHECK_FALSE(s.bundle(3)->has_value());
    CHECK_FALSE(s.add_bundle(v1).ok());  // a version is published once
}

TEST_CASE("hub items: metadata is checked against the catalog and the kind") {
    Catalog c;
    c.loaded = true;
    c.categories = {"illegal-fees"};
    c.targets = {"window-1"};
    using K = submit::Kind;
    CHECK(reject_reason(item(kId1, K::report, R"({"category":"illegal-fees"})"), c) == "");
    CHECK(reject_reason(item(kId1, K::report, R"({"category":"nope"})"), c) == "unknown_category");
    CHECK(reject_reason(item(kId1, K::report, R"({})"), c) == "bad_meta");
    CHECK(reject_reason(item(kId1, K::report, R"({"kind":"rating","category":"illegal-fees"})"),
                        c) == "kind_mismatch");
    CHECK(reject_reason(item(kId1, K::rating, R"({"target_id":"window-1","level":5})"), c) == "");
    CHECK(reject_reason(item(kId1, K::rating, R"({"target_id":"window-1","level":0})"), c) ==
          "bad_level");
    CHECK(reject_reason(item(kId1, K::rating, R"({"target_id":"window-1","level":"5"})"), c) ==
          "bad_level");
    CHECK(reject_reason(item(kId1, K::rating, R"({"target_id":"w","level":1})"), c) ==
          "unknown_target");
    CHECK(reject_reason(
              item(kId1, K::rating, R"({"target_id":"window-1","level":2,"reasons":["fees","x"]})"),
              c) == "bad_reason");
    CHECK(reject_reason(item(kId1, K::consultation, R"({"kind":"consultation"})"), c) == "");
    Catalog empty;  // nothing published yet: ids are not checked, shapes are
    CHECK(reject_reason(item(kId1, K::report, R"({"category":"any"})"), empty) == "");
}

TEST_CASE("hub api: routes, methods, tokens and path tricks without a socket") {
    testing::TempDir dir;
    HubConfig cfg;
    cfg.database = dir / "hub.db";
    cfg.publish_dir = dir / "published";
    cfg.limits.receipt_delay_ms = 0;
    cfg.limits.receipt_lookups_per_minute = 2;
    StorePool pool(cfg.database);
    {
        auto s = pool.acquire();
        REQUIRE(s.ok());
        REQUIRE((*s)->add_enroll_code(secret_hash("ABCD"), "A", 0, INT64_MAX / 2).ok());
    }
    HubApi api(cfg, pool);
    auto call = [&](const char* method, const std::string& path, const std::string& body = "",
                    const std::string& token = "") {
        HttpRequest r;
        r.method = method;
        r.path = path;
        r.body = body;
        if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
        return api.handle(r);
    };
    auto enrolled = call("POST", "/api/v1/enroll", R"({"code":"ab-cd"})");
    REQUIRE(enrolled.status == 200);
    auto answer = sync::decode_enroll_response(enrolled.body);
    REQUIRE(answer.ok());
    const std::string token = answer->token;
    CHECK(call("POST", "/api/v1/enroll", R"({"code":"ABCD"})").status == 403);
    CHECK(call("GET", "/api/v1/enroll").status == 405);
    CHECK(call("POST", "/api/v1/heartbeat", "{}").status == 401);
    CHECK(call("POST", "/api/v1/heartbeat", "{}", "x" + token).status == 401);
    auto hb = call("POST", "/api/v1/heartbeat", "{}", token);
    CHECK(hb.status == 200);
    CHECK(sync::decode_heartbeat_answer(hb.body).ok());
    for (const char* p :
         {"/api/v1/bundles/../hub.db", "/api/v1/bundles/1.kbundle/..", "/api/v1/bundles/01.kbundle",
          "/api/v1/bundles/1.kbundle.minisig.x", "/api/v1/bundles/99999999999999999999.kbundle",
          "/api/v1/receipts/", "/api/v1/receipts/a/b", "/api/v1", "/"})
        CHECK_MESSAGE(call("GET", p, "", token).status == 404, p);
    CHECK(call("GET", "/api/v1/bundles/1.kbundle", "", token).status == 404);  // not published
    CHECK(call("GET", "/api/v1/receipts/" + std::string(64, 'a'), "", token).status == 404);
    CHECK(call("GET", "/api/v1/receipts/" + std::string(64, 'a'), "", token).status == 404);
    auto limited = call("GET", "/api/v1/receipts/" + std::string(64, 'a'), "", token);
    CHECK(limited.status == 429);
    CHECK(limited.headers.front().first == "Retry-After");
    CHECK(HubApi::loggable_path("/api/v1/receipts/" + std::string(64, 'a')) ==
          "/api/v1/receipts/…");
    CHECK(HubApi::loggable_path("/a\nb") == "/a\\x0ab");
}
