// The content store the kiosk UI reads: lists, typed fields, assets, glyphs, and the fallback.
#include <doctest/doctest.h>

#include "store/bundle_installer.hpp"
#include "store/content_store.hpp"
#include "test_support.hpp"

using namespace kiosk;
using namespace kiosk::testing;

namespace {

// The minimal source plus two notices and an image, built into dir/b.kbundle.
std::string build_store_source(TempDir& dir) {
    write_minimal_source(dir / "src");
    std::string text = read_text(dir / "src/bundle.toml");
    text += "\n[[category]]\nid = \"notices\"\nname = \"通知公告\"\ndescription = \"通知\"\n";
    write_text(dir / "src/bundle.toml", text);
    for (const auto& [id, date] : {std::pair{"n-old", "2026-03-01"}, {"n-new", "2026-05-08"}}) {
        write_text(dir / ("src/docs/" + std::string(id) + ".md"),
                   std::string("+++\nid = \"") + id +
                       "\"\nkind = \"notice\"\ncategory = \"notices\"\ntitle = \"通知" + id +
                       "\"\nsummary = \"摘要\"\nissuer = \"县\"\nupdated = " + date +
                       "\n+++\n![图](asset:hall.png)\n");
    }
    write_text(dir / "src/assets/hall.png", std::string("\x89PNG\r\n\x1a\n", 8) + "pixels");
    std::string out = dir / "b.kbundle";
    build_ok(load_ok(dir / "src"), out, 3);
    return out;
}

const int64_t kMay10 = 1778371200;  // 2026-05-10T00:00:00Z

}  // namespace

TEST_CASE("the content store lists categories in tile order with their document counts") {
    TempDir dir;
    auto store = store::ContentStore::open(build_store_source(dir));
    REQUIRE(store.ok());
    auto cats = store->categories();
    REQUIRE(cats.ok());
    REQUIRE(cats->size() == 4);
    CHECK((*cats)[0].id == "policy");
    CHECK((*cats)[0].document_count == 1);
    CHECK((*cats)[3].id == "notices");
    CHECK((*cats)[3].document_count == 2);
}

TEST_CASE("notices come newest first and only the last seven days are new") {
    TempDir dir;
    auto store = store::ContentStore::open(build_store_source(dir));
    REQUIRE(store.ok());
    auto notices = store->documents_in("notices", kMay10);
    REQUIRE(notices.ok());
    REQUIRE(notices->size() == 2);
    CHECK((*notices)[0].id == "n-new");
    CHECK((*notices)[0].is_new);
    CHECK((*notices)[1].id == "n-old");
    CHECK_FALSE((*notices)[1].is_new);
    auto later = store->latest_notices(1, kMay10 + 30 * 86400);
    REQUIRE(later.ok());
    REQUIRE(later->size() == 1);
    CHECK_FALSE((*later)[0].is_new);
}

TEST_CASE("a guide's and an office's structured fields come back typed") {
    TempDir dir;
    auto store = store::ContentStore::open(build_store_source(dir));
    REQUIRE(store.ok());
    auto guide = store->document("guide-register");
    REQUIRE(guide.ok());
    REQUIRE(guide->guide.has_value());
    CHECK(guide->guide->materials == std::vector<std::string>{"身份证", "户口簿"});
    REQUIRE(guide->guide->steps.size() == 1);
    CHECK(guide->guide->steps[0].title == "申请");
    CHECK(guide->guide->basis[0].doc == "policy-law");
    CHECK(guide->guide->office == "office-chengguan");
    CHECK(guide->issuer == "测试县人口计生委");
    auto office = store->document("office-chengguan");
    REQUIRE(office.ok());
    REQUIRE(office->office.has_value());
    CHECK(office->office->phone == "0000-12345678");
    CHECK_FALSE(office->guide.has_value());
}

TEST_CASE("a missing document or image is a not_found error, not a crash") {
    TempDir dir;
    auto store = store::ContentStore::open(build_store_source(dir));
    REQUIRE(store.ok());
    CHECK(store->document("no-such-doc").error().code == "not_found");
    CHECK(store->asset("none.png").error().code == "not_found");
    auto img = store->asset("hall.png");
    REQUIRE(img.ok());
    CHECK(img->mime == "image/png");
    CHECK(img->data.size() == 14);
}

TEST_CASE("the glyph set holds every character the bundle can show, once, in order") {
    TempDir dir;
    auto store = store::ContentStore::open(build_store_source(dir));
    REQUIRE(store.ok());
    auto glyphs = store->glyphs();
    REQUIRE(glyphs.ok());
    for (char32_t c : {U'生', U'育', U'窗', U'城', U'B', U'1', U'通'}) {
        CHECK(glyphs->find(c) != std::u32string::npos);
    }
    for (size_t i = 1; i < glyphs->size(); ++i)
        CHECK((*glyphs)[i - 1] < (*glyphs)[i]);
    CHECK(glyphs->size() < 400);
}

TEST_CASE("the kiosk falls back to the previous bundle when the current one is corrupt") {
    TempDir dir;
    write_minimal_source(dir / "src");
    auto src = load_ok(dir / "src");
    make_keys(dir.path(), "county");
    store::InstallPolicy policy;
    policy.scope = "test-county";
    policy.kiosk_version = "0.1.0";
    policy.trusted_keys.push_back(*sign::read_public_key_file(dir / "county.pub"));
    store::InstallSeams seams;
    seams.now = [] { return kMay10; };
    store::BundleInstaller installer(dir / "state", policy, seams);
    for (int v : {1, 2}) {
        std::string b = dir / ("v" + std::to_string(v) + ".kbundle");
        build_ok(src, b, v);
        sign_ok(b, dir / "county.key");
        REQUIRE(installer.install(b, b + ".minisig").ok());
    }
    auto ok = store::open_installed_content(dir / "state");
    REQUIRE(ok.ok());
    CHECK(ok->slot == "current");
    CHECK(ok->store.meta().version == 2);

    std::string current = installer.current()->path;
    std::string data = read_text(current);
    for (size_t i = 4096; i < 4096 + 64; ++i)
        data[i] = '\xEE';
    write_text(current, data);
    auto fallback = store::open_installed_content(dir / "state");
    REQUIRE(fallback.ok());
    CHECK(fallback->slot == "previous");
    CHECK(fallback->store.meta().version == 1);
    REQUIRE(fallback->fallback_reason.has_value());
    CHECK(fallback->fallback_reason->code == "corrupt");

    write_text(installer.previous()->path, "not a bundle");
    auto none = store::open_installed_content(dir / "state");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == "none");
}

TEST_CASE("nothing installed is reported as none") {
    TempDir dir;
    auto r = store::open_installed_content(dir / "state");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "none");
}

TEST_CASE("every document of the sample content opens and its links resolve") {
    TempDir dir;
    std::string b = dir / "sample.kbundle";
    build_ok(load_ok(std::string(KIOSK_SOURCE_DIR) + "/content"), b, 1);
    auto store = store::ContentStore::open(b);
    REQUIRE(store.ok());
    auto cats = store->categories();
    REQUIRE(cats.ok());
    CHECK(cats->size() == 8);
    int64_t now = store->meta().created_unix;
    for (const auto& c : *cats) {
        CHECK_MESSAGE(c.document_count > 0, c.id);
        auto docs = store->documents_in(c.id, now);
        REQUIRE(docs.ok());
        for (const auto& d : *docs) {
            auto view = store->document(d.id);
            REQUIRE_MESSAGE(view.ok(), d.id);
            if (view->guide) CHECK(store->document(view->guide->office).ok());
            CHECK_FALSE(view->provenance.empty());
        }
    }
    auto reports = store->report_categories();
    REQUIRE(reports.ok());
    CHECK(reports->size() >= 9);
    auto targets = store->rating_targets();
    REQUIRE(targets.ok());
    CHECK(targets->size() > 20);
}

TEST_CASE("a bundle damaged where opening does not look opens without the full check, and "
          "verify_bundle finds the damage") {
    TempDir dir;
    std::string b = build_store_source(dir);
    std::string data = read_text(b);
    // The last page (search index or document text): opening (header, schema, meta) never
    // reads it.
    for (size_t i = data.size() - 4096; i < data.size() - 4096 + 64; ++i)
        data[i] = '\xEE';
    write_text(b, data);
    CHECK(store::ContentStore::open(b, false).ok());
    Status st = store::verify_bundle(b);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "corrupt");
    CHECK_FALSE(store::ContentStore::open(b).ok());
}

TEST_CASE("the attract screen's notices come from an index, not a scan of every document") {
    TempDir dir;
    auto db = store::open_bundle(build_store_source(dir));
    REQUIRE(db.ok());
    auto st = db->prepare("EXPLAIN QUERY PLAN SELECT id FROM documents WHERE kind = 'notice' "
                          "ORDER BY updated DESC, id LIMIT 8");
    REQUIRE(st.ok());
    std::string plan;
    while (st->step())
        plan += st->text(3) + "\n";
    CHECK(plan.find("documents_by_kind") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
}
