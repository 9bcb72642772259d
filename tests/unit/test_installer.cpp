// Bundle installation: every bad input is refused with its own reason and the current bundle stays.
#include <doctest/doctest.h>

#include <filesystem>

#include "store/bundle_installer.hpp"
#include "store/sqlite.hpp"
#include "test_support.hpp"
#include "util/file_faults.hpp"

using namespace kiosk;
using namespace kiosk::testing;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kNow = 1795000000;  // 2026-11-18, inside the minimal source's validity

// A state dir with bundle version 5 installed, a trusted key pair, and the source to build more.
struct Installed {
    TempDir dir;
    content::Source source;
    std::string state = dir / "state";
    std::string pub = dir / "county.pub";
    std::string key = dir / "county.key";
    std::string current_bytes;

    Installed() {
        write_minimal_source(dir / "src");
        source = load_ok(dir / "src");
        make_keys(dir.path(), "county");
        std::string b = dir / "v5.kbundle";
        build_ok(source, b, 5);
        sign_ok(b, key);
        auto r = installer().install(b, b + ".minisig");
        if (!r) MESSAGE(r.error().message);
        REQUIRE(r.ok());
        current_bytes = read_text(r->path);
    }

    store::InstallPolicy policy(uint64_t max_bytes = 64ull << 20) const {
        store::InstallPolicy p;
        p.scope = "test-county";
        p.max_bytes = max_bytes;
        p.kiosk_version = "0.1.0";
        auto k = sign::read_public_key_file(pub);
        REQUIRE(k.ok());
        p.trusted_keys.push_back(*k);
        return p;
    }
    store::BundleInstaller installer(store::InstallSeams seams = {},
                                     uint64_t max_bytes = 64ull << 20) const {
        if (!seams.now) seams.now = [] { return kNow; };
        return store::BundleInstaller(state, policy(max_bytes), std::move(seams));
    }
    // A signed bundle of `version` built from the (possibly edited) source.
    std::string make(int64_t version, const std::string& name, int64_t created = 0,
                     int64_t expires = 0) {
        std::string b = dir / name;
        build_ok(source, b, version, created, expires);
        sign_ok(b, key);
        return b;
    }
    // Installs and returns the error code, checking that nothing changed.
    std::string refuse(const std::string& bundle, store::InstallSeams seams = {},
                       uint64_t max_bytes = 64ull << 20) {
        auto r = installer(std::move(seams), max_bytes).install(bundle, bundle + ".minisig");
        REQUIRE_FALSE(r.ok());
        MESSAGE(r.error().code << ": " << r.error().message);
        auto cur = installer().current();
        REQUIRE(cur.ok());
        CHECK(cur->meta.version == 5);
        CHECK(read_text(cur->path) == current_bytes);
        CHECK_FALSE(fs::exists(state + "/bundles/.staging"));
        return r.error().code;
    }
};

void flip_byte(const std::string& path, size_t offset) {
    std::string data = read_text(path);
    REQUIRE(offset < data.size());
    data[offset] = static_cast<char>(data[offset] ^ 0x20);
    write_text(path, data);
}

}  // namespace

TEST_CASE("a newer signed bundle installs and the old one is kept as previous") {
    Installed k;
    auto r = k.installer().install(k.make(6, "v6.kbundle"), k.dir / "v6.kbundle.minisig");
    REQUIRE(r.ok());
    CHECK(r->meta.version == 6);
    CHECK(r->meta.document_count == 3);
    CHECK(r->key_id == sign::read_public_key_file(k.pub)->key_id_hex());
    auto prev = k.installer().previous();
    REQUIRE(prev.ok());
    CHECK(prev->meta.version == 5);
}

TEST_CASE("bundle install refuses a signature made with the wrong key under a trusted key id") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    make_keys(k.dir.path(), "other");
    sign_ok(b, k.dir / "other.key");
    auto sig = sign::read_signature_file(b + ".minisig");
    REQUIRE(sig.ok());
    sig->key_id = sign::read_public_key_file(k.pub)->key_id;  // claims to be the county's key
    write_text(b + ".minisig", sign::format_signature(*sig));
    CHECK(k.refuse(b) == "bad_signature");
}

TEST_CASE("bundle install refuses a key that is not in the configuration") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    make_keys(k.dir.path(), "other");
    sign_ok(b, k.dir / "other.key");
    CHECK(k.refuse(b) == "unknown_key");
}

TEST_CASE("bundle install refuses a flipped byte in the bundle") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    flip_byte(b, 5000);
    CHECK(k.refuse(b) == "bad_signature");
}

TEST_CASE("bundle install refuses a flipped byte in the signature") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    std::string sig = read_text(b + ".minisig");
    std::string original = sig;
    size_t in_signature = sig.find('\n') + 40;  // past the algorithm and key id
    sig[in_signature] = sig[in_signature] == 'A' ? 'B' : 'A';
    write_text(b + ".minisig", sig);
    CHECK(k.refuse(b) == "bad_signature");
    // The trusted comment (version, scope) is signed too.
    sig = original;
    sig.replace(sig.find("test bundle"), 11, "test bundlf");
    write_text(b + ".minisig", sig);
    CHECK(k.refuse(b) == "bad_trusted_comment");
}

TEST_CASE("bundle install refuses a bundle without a .minisig") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    fs::remove(b + ".minisig");
    CHECK(k.refuse(b) == "no_signature");
}

TEST_CASE("bundle install refuses a truncated bundle even when the truncated bytes are signed") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    std::string data = read_text(b);
    write_text(b, data.substr(0, data.size() / 2));
    CHECK(k.refuse(b) == "bad_signature");
    sign_ok(b, k.key);
    CHECK(k.refuse(b) == "truncated");
}

TEST_CASE("bundle install refuses a zero-byte file") {
    Installed k;
    std::string b = k.dir / "empty.kbundle";
    write_text(b, "");
    sign_ok(b, k.key);
    CHECK(k.refuse(b) == "empty");
}

TEST_CASE("bundle install refuses a signed file that is not SQLite") {
    Installed k;
    std::string b = k.dir / "text.kbundle";
    write_text(b, std::string(5000, 'x'));
    sign_ok(b, k.key);
    CHECK(k.refuse(b) == "not_sqlite");
}

TEST_CASE("bundle install refuses SQLite with the wrong schema or format number") {
    Installed k;
    std::string other = k.dir / "other.kbundle";
    {
        auto db = store::Database::open(other, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        REQUIRE(db.ok());
        REQUIRE(db->exec("CREATE TABLE notes(x); INSERT INTO notes VALUES(1);").ok());
    }
    sign_ok(other, k.key);
    CHECK(k.refuse(other) == "format");

    std::string b = k.make(6, "v6.kbundle");
    {
        auto db = store::Database::open(b, SQLITE_OPEN_READWRITE);
        REQUIRE(db.ok());
        REQUIRE(db->exec("PRAGMA user_version = 2").ok());
    }
    sign_ok(b, k.key);
    CHECK(k.refuse(b) == "format");
}

TEST_CASE("bundle install refuses a signed bundle whose pages are damaged") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    std::string data = read_text(b);
    // Page 2 onwards: scribble over a b-tree page header, keeping the file header intact.
    for (size_t i = 4096; i < 4096 + 64; ++i)
        data[i] = '\xEE';
    write_text(b, data);
    sign_ok(b, k.key);
    CHECK(k.refuse(b) == "corrupt");
}

TEST_CASE("bundle install refuses a version equal to or below the installed one") {
    Installed k;
    CHECK(k.refuse(k.make(5, "same.kbundle")) == "not_newer");
    CHECK(k.refuse(k.make(4, "older.kbundle")) == "not_newer");
}

TEST_CASE("bundle install refuses an expired bundle") {
    Installed k;
    auto created = store::parse_utc_time("2025-01-01");
    auto expires = store::parse_utc_time("2026-01-01");
    CHECK(k.refuse(k.make(6, "old.kbundle", *created, *expires)) == "expired");
}

TEST_CASE("bundle install refuses another county's scope") {
    Installed k;
    k.source.settings.scope = "other-county";
    CHECK(k.refuse(k.make(6, "other.kbundle")) == "scope");
}

TEST_CASE("bundle install refuses a bundle that needs a newer kiosk") {
    Installed k;
    k.source.settings.min_kiosk_version = "0.10.0";
    CHECK(k.refuse(k.make(6, "future.kbundle")) == "kiosk_too_old");
}

TEST_CASE("bundle install refuses a file over the size cap before copying it") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    store::InstallSeams seams;
    bool copied = false;
    seams.open_sink = [&](const std::string& p) {
        copied = true;
        return util::open_posix_sink(p);
    };
    CHECK(k.refuse(b, seams, 4096) == "too_large");
    CHECK_FALSE(copied);
}

TEST_CASE("bundle install removes the staged file when the disk fills up") {
    Installed k;
    std::string b = k.make(6, "v6.kbundle");
    store::InstallSeams seams;
    seams.open_sink = util::failing_after(util::open_posix_sink, 10000);
    CHECK(k.refuse(b, seams) == "disk_full");
}

TEST_CASE("bundle install passes its steps in order and switches only at the end") {
    Installed k;
    std::vector<std::string> steps;
    store::InstallSeams seams;
    seams.checkpoint = [&](const char* step) {
        steps.push_back(step);
        auto cur = k.installer().current();
        REQUIRE(cur.ok());
        bool switched = steps.back() == "switched" || steps.back() == "pruned";
        CHECK(cur->meta.version == (switched ? 6 : 5));
    };
    auto r = k.installer(seams).install(k.make(6, "v6.kbundle"), k.dir / "v6.kbundle.minisig");
    REQUIRE(r.ok());
    CHECK(steps == std::vector<std::string>{"staged", "verified", "checked", "moved",
                                            "previous_linked", "switched", "pruned"});
}

TEST_CASE("rollback returns to the previous bundle when its signature still verifies") {
    Installed k;
    REQUIRE(k.installer().install(k.make(6, "v6.kbundle"), k.dir / "v6.kbundle.minisig").ok());
    auto r = k.installer().rollback();
    REQUIRE(r.ok());
    CHECK(r->meta.version == 5);
    CHECK(k.installer().previous().error().code == "none");
    CHECK(k.installer().rollback().error().code == "no_previous");
}

TEST_CASE("rollback refuses a previous bundle that no longer verifies") {
    Installed k;
    REQUIRE(k.installer().install(k.make(6, "v6.kbundle"), k.dir / "v6.kbundle.minisig").ok());
    auto prev = k.installer().previous();
    REQUIRE(prev.ok());
    flip_byte(prev->path, 6000);
    auto r = k.installer().rollback();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "bad_signature");
    CHECK(k.installer().current()->meta.version == 6);
}
