// The bundle builder: reproducible bytes, the meta a kiosk reads, and the search index inside.
#include <doctest/doctest.h>

#include "store/bundle_schema.hpp"
#include "store/search.hpp"
#include "test_support.hpp"

using namespace kiosk;
using namespace kiosk::testing;

TEST_CASE("the same source and version build byte-identical bundles") {
    TempDir dir;
    write_minimal_source(dir / "src");
    auto src = load_ok(dir / "src");
    build_ok(src, dir / "a.kbundle", 7);
    build_ok(load_ok(dir / "src"), dir / "b.kbundle", 7);
    CHECK(read_text(dir / "a.kbundle") == read_text(dir / "b.kbundle"));
    build_ok(src, dir / "c.kbundle", 8);
    CHECK(read_text(dir / "a.kbundle") != read_text(dir / "c.kbundle"));
}

TEST_CASE("a built bundle passes the reader's checks and carries its meta") {
    TempDir dir;
    write_minimal_source(dir / "src");
    build_ok(load_ok(dir / "src"), dir / "a.kbundle", 7);
    REQUIRE(store::check_bundle_header(dir / "a.kbundle").ok());
    auto db = store::open_bundle(dir / "a.kbundle");
    REQUIRE(db.ok());
    REQUIRE(store::quick_check(*db).ok());
    auto meta = store::read_bundle_meta(*db);
    REQUIRE(meta.ok());
    CHECK(meta->version == 7);
    CHECK(meta->scope == "test-county");
    CHECK(meta->created == "2026-05-10T00:00:00Z");  // the latest `updated` in the source
    CHECK(meta->expires == "2027-05-10T00:00:00Z");  // + valid_days (365)
    CHECK(meta->document_count == 3);
    CHECK(sign::parse_seal_public_key(meta->seal_public_key).ok());
}

TEST_CASE("a built bundle answers Chinese and mixed searches from its prebuilt index") {
    TempDir dir;
    write_minimal_source(dir / "src");
    build_ok(load_ok(dir / "src"), dir / "a.kbundle", 1);
    auto db = store::open_bundle(dir / "a.kbundle");
    REQUIRE(db.ok());
    for (const char* q : {"生育", "育", "B超", "12356", "生育服务登记"}) {
        auto hits = store::search(*db, q);
        REQUIRE(hits.ok());
        CHECK_MESSAGE(!hits->empty(), q);
    }
    auto title = store::search(*db, "登记");
    REQUIRE(title.ok());
    REQUIRE_FALSE(title->empty());
    CHECK(title->front().doc_id == "guide-register");
}

TEST_CASE("the builder leaves no file behind when it cannot write") {
    TempDir dir;
    write_minimal_source(dir / "src");
    content::BuildOptions opt;
    opt.version = 1;
    opt.out_path = dir / "no-such-folder/a.kbundle";
    auto r = content::build_bundle(load_ok(dir / "src"), opt);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(std::filesystem::exists(dir / "no-such-folder"));
}
