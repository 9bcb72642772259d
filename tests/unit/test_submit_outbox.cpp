// The outbox: durable, bounded, never half-written (full disk, SIGKILL), cooldowns, export.
#include <doctest/doctest.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "store/sqlite.hpp"
#include "submit/outbox.hpp"
#include "submit/submitter.hpp"
#include "test_support.hpp"
#include "util/base64.hpp"
#include "util/file_faults.hpp"

using namespace kiosk;
using namespace kiosk::submit;
using kiosk::testing::TempDir;

namespace {

Submission item(Kind kind, size_t sealed_bytes, int64_t at, std::string target = "") {
    Submission s;
    s.id = new_uuid_v4();
    s.kind = kind;
    s.created_at = at;
    s.meta_json = std::string(R"({"kind":")") + kind_name(kind) + R"(","created_at":)" +
                  std::to_string(at) + "}";
    s.sealed.resize(sealed_bytes);
    randombytes_buf(s.sealed.data(), s.sealed.size());
    if (kind == Kind::rating) {
        s.rating_target = target.empty() ? "window-1" : target;
    } else {
        s.lookup_key = std::string(64, 'a');
    }
    return s;
}

Outbox open_ok(const std::string& path, OutboxLimits limits = {}, OutboxSeams seams = {}) {
    auto ob = Outbox::open(path, limits, std::move(seams));
    if (!ob) MESSAGE(ob.error().message);
    REQUIRE(ob.ok());
    return std::move(*ob);
}

int64_t depth(Outbox& ob) {
    auto st = ob.stats();
    REQUIRE(st.ok());
    return st->depth;
}

bool same(const Submission& a, const Submission& b) {
    return a.id == b.id && a.kind == b.kind && a.created_at == b.created_at &&
           a.meta_json == b.meta_json && a.sealed == b.sealed && a.lookup_key == b.lookup_key &&
           a.rating_target == b.rating_target;
}

}  // namespace

TEST_CASE("an enqueued item comes back whole, in order, with the database in WAL mode") {
    REQUIRE(sodium_init() >= 0);
    TempDir dir;
    const std::string path = dir / "state/kiosk.db";
    Submission a = item(Kind::report, 300, 100), b = item(Kind::rating, 200, 101),
               c = item(Kind::consultation, 100, 99);
    {
        Outbox ob = open_ok(path);
        for (const auto& s : {a, b, c})
            REQUIRE(ob.enqueue(s).ok());
        CHECK(ob.enqueue(a).error().code == "duplicate");
    }
    Outbox ob = open_ok(path);  // reopened, as after a restart
    auto got = ob.pending(10);
    REQUIRE(got.ok());
    REQUIRE(got->size() == 3);
    CHECK(same((*got)[0], a));
    CHECK(same((*got)[1], b));
    CHECK(same((*got)[2], c));
    auto st = ob.stats();
    REQUIRE(st.ok());
    CHECK(st->depth == 3);
    CHECK(st->oldest_created_at == 99);
    CHECK(st->by_kind.report == 1);
    CHECK(st->by_kind.rating == 1);
    CHECK(st->by_kind.consultation == 1);
    CHECK(st->bytes > 600);
    auto db = store::Database::open(path, SQLITE_OPEN_READONLY);
    REQUIRE(db.ok());
    auto mode = db->prepare("PRAGMA journal_mode");
    REQUIRE(mode.ok());
    REQUIRE(mode->step());
    CHECK(mode->text(0) == "wal");
    auto version = db->prepare("PRAGMA user_version");
    REQUIRE(version.ok());
    REQUIRE(version->step());
    CHECK(version->integer(0) == 1);
}

TEST_CASE("the outbox refuses a database written by a newer kiosk") {
    TempDir dir;
    { open_ok(dir / "kiosk.db"); }
    {
        auto db = store::Database::open(dir / "kiosk.db", SQLITE_OPEN_READWRITE);
        REQUIRE(db.ok());
        REQUIRE(db->exec("PRAGMA user_version = 99").ok());
    }
    auto ob = Outbox::open(dir / "kiosk.db", {});
    REQUIRE_FALSE(ob.ok());
    CHECK(ob.error().code == "schema");
}

TEST_CASE("the outbox is full by count and refuses before writing; sent items make room") {
    TempDir dir;
    OutboxLimits limits;
    limits.max_items = 3;
    Outbox ob = open_ok(dir / "kiosk.db", limits);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        Submission s = item(Kind::report, 100, 10 + i);
        ids.push_back(s.id);
        REQUIRE(ob.enqueue(s).ok());
    }
    Submission fourth = item(Kind::rating, 100, 20, "w-full");
    auto refused = ob.enqueue(fourth);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "full");
    CHECK(depth(ob) == 3);
    CHECK_FALSE(ob.last_rating_at("w-full")->has_value());  // nothing of it was written
    REQUIRE(ob.mark_sent({ids[0]}, 50).ok());
    CHECK(ob.enqueue(fourth).ok());
    auto st = ob.stats();
    CHECK(st->depth == 3);
    CHECK(st->sent_count == 1);
    auto purged = ob.purge_sent(51);
    REQUIRE(purged.ok());
    CHECK(*purged == 1);
    CHECK(ob.stats()->sent_count == 0);
}

TEST_CASE("the outbox is full by bytes") {
    TempDir dir;
    OutboxLimits limits;
    limits.max_bytes = 10200;  // three items of ~3,140 bytes (sealed, id, meta, key)
    Outbox ob = open_ok(dir / "kiosk.db", limits);
    for (int i = 0; i < 3; ++i)
        REQUIRE(ob.enqueue(item(Kind::report, 3000, i)).ok());
    auto refused = ob.enqueue(item(Kind::report, 3000, 9));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "full");
    CHECK(refused.error().message.find("max_mb") != std::string::npos);
    CHECK(ob.enqueue(item(Kind::report, 500, 9)).ok());  // a small one still fits
    CHECK(depth(ob) == 4);
}

TEST_CASE("the outbox refuses new items while the disk is below the free-space floor") {
    TempDir dir;
    uint64_t free_bytes = 100ull << 20;
    OutboxSeams seams;
    seams.free_disk_bytes = [&](const std::string& path) -> Result<uint64_t> {
        CHECK(path == dir.path());
        return free_bytes;
    };
    Outbox ob = open_ok(dir / "kiosk.db", OutboxLimits{}, seams);  // floor 200 MiB
    auto refused = ob.enqueue(item(Kind::consultation, 100, 1));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "full");
    CHECK(refused.error().message.find("min_free_disk_mb") != std::string::npos);
    CHECK(depth(ob) == 0);
    free_bytes = 300ull << 20;
    CHECK(ob.enqueue(item(Kind::consultation, 100, 1)).ok());
}

TEST_CASE("the outbox keeps nothing half-written when the disk fills during enqueue") {
    TempDir dir;
    OutboxSeams seams;
    seams.max_page_count = 40;  // 160 KiB of 4 KiB pages: the "disk"
    Outbox ob = open_ok(dir / "kiosk.db", OutboxLimits{}, seams);
    std::vector<Submission> stored;
    Error failure;
    for (int i = 0; i < 200; ++i) {
        Submission s = item(i % 2 ? Kind::rating : Kind::report, 5000, i, "w" + std::to_string(i));
        Status st = ob.enqueue(s);
        if (!st) {
            failure = st.error();
            CHECK_FALSE(ob.last_rating_at(s.rating_target)->has_value());
            break;
        }
        stored.push_back(s);
    }
    CHECK(failure.code == "disk_full");
    REQUIRE(stored.size() > 5);
    auto got = ob.pending(1000);
    REQUIRE(got.ok());
    REQUIRE(got->size() == stored.size());
    for (size_t i = 0; i < stored.size(); ++i)
        CHECK(same((*got)[i], stored[i]));
    // What is queued can still leave: the sync worker is not blocked by a full disk.
    REQUIRE(ob.mark_sent({stored[0].id}, 1).ok());
    REQUIRE(ob.purge_sent(2).ok());
    CHECK(ob.enqueue(item(Kind::report, 1000, 500)).ok());
}

TEST_CASE("a SIGKILL at any point of an enqueue leaves the item fully queued or absent") {
    for (const char* step : {"begun", "inserted", "committed"}) {
        CAPTURE(step);
        TempDir dir;
        const std::string path = dir / "kiosk.db";
        { open_ok(path); }
        Submission s = item(Kind::rating, 4000, 77, "window-kill");
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            OutboxSeams seams;
            std::string target = step;
            seams.checkpoint = [target](const char* at) {
                if (target == at) ::raise(SIGKILL);
            };
            auto ob = Outbox::open(path, OutboxLimits{}, seams);
            if (ob) (void)ob->enqueue(s);
            ::_exit(3);  // the checkpoint was never reached
        }
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGKILL);

        Outbox ob = open_ok(path);
        auto got = ob.pending(10);
        REQUIRE(got.ok());
        auto last = ob.last_rating_at("window-kill");
        REQUIRE(last.ok());
        if (std::string(step) == "committed") {
            REQUIRE(got->size() == 1);
            CHECK(same((*got)[0], s));
            CHECK(*last == std::optional<int64_t>(77));
        } else {
            CHECK(got->empty());
            CHECK_FALSE(last->has_value());
        }
        auto db = store::Database::open(path, SQLITE_OPEN_READONLY);
        auto check = db->prepare("PRAGMA integrity_check");
        REQUIRE(check.ok());
        REQUIRE(check->step());
        CHECK(check->text(0) == "ok");
    }
}

TEST_CASE("a rating records its window's last rating time, the latest one kept") {
    TempDir dir;
    Outbox ob = open_ok(dir / "kiosk.db");
    CHECK_FALSE(ob.last_rating_at("w")->has_value());
    REQUIRE(ob.enqueue(item(Kind::rating, 100, 1000, "w")).ok());
    CHECK(*ob.last_rating_at("w") == std::optional<int64_t>(1000));
    REQUIRE(ob.enqueue(item(Kind::rating, 100, 900, "w")).ok());  // an older clock
    CHECK(*ob.last_rating_at("w") == std::optional<int64_t>(1000));
    REQUIRE(ob.enqueue(item(Kind::rating, 100, 2000, "w")).ok());
    CHECK(*ob.last_rating_at("w") == std::optional<int64_t>(2000));
    CHECK_FALSE(ob.last_rating_at("other")->has_value());
}

TEST_CASE("a dead letter leaves the queue and is counted for the technician") {
    TempDir dir;
    Outbox ob = open_ok(dir / "kiosk.db");
    Submission s = item(Kind::report, 100, 1);
    REQUIRE(ob.enqueue(s).ok());
    REQUIRE(ob.dead_letter(s.id, "rejected: unknown category", 5).ok());
    auto st = ob.stats();
    CHECK(st->depth == 0);
    CHECK(st->dead_count == 1);
    CHECK(ob.dead_letter(s.id, "again", 6).error().code == "not_found");
}

TEST_CASE("an export writes every pending item and a manifest, and the items stay queued") {
    TempDir dir;
    Outbox ob = open_ok(dir / "kiosk.db");
    std::vector<Submission> items = {item(Kind::report, 700, 1795000000),
                                     item(Kind::rating, 300, 1795000001),
                                     item(Kind::consultation, 500, 1795000002)};
    for (const auto& s : items)
        REQUIRE(ob.enqueue(s).ok());
    std::filesystem::create_directories(dir / "usb");
    auto done = ob.export_to(dir / "usb", 1795000100);
    REQUIRE(done.ok());
    CHECK(done->items == 3);
    const std::string name = std::filesystem::path(done->file).filename().string();
    CHECK(std::regex_match(name, std::regex(R"(kiosk-outbox-20261118T\d{6}Z-[0-9a-f]{8}\.jsonl)")));
    CHECK(std::distance(std::filesystem::directory_iterator(dir / "usb"),
                        std::filesystem::directory_iterator()) == 1);  // no temporary left

    std::string text = kiosk::testing::read_text(done->file);
    CHECK(done->bytes == text.size());
    std::vector<std::string> lines;
    for (size_t at = 0; at < text.size();) {
        size_t nl = text.find('\n', at);
        REQUIRE(nl != std::string::npos);
        lines.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    REQUIRE(lines.size() == 4);
    for (size_t i = 0; i < 3; ++i) {
        auto j = nlohmann::json::parse(lines[i]);
        CHECK(j["id"] == items[i].id);
        CHECK(j["kind"] == kind_name(items[i].kind));
        CHECK(j["created_at"] == items[i].created_at);
        CHECK(j["meta"] == nlohmann::json::parse(items[i].meta_json));
        CHECK(j["lookup_key"] == items[i].lookup_key);
        std::string b64 = j["sealed"];
        std::string raw(b64.size(), '\0');
        auto n = util::base64_decode(b64, reinterpret_cast<uint8_t*>(raw.data()), raw.size());
        REQUIRE(n.ok());
        raw.resize(*n);
        CHECK(raw == items[i].sealed);
    }
    auto manifest = nlohmann::json::parse(lines[3])["manifest"];
    CHECK(manifest["format"] == "kiosk-outbox/1");
    CHECK(manifest["items"] == 3);
    const std::string body = text.substr(0, text.size() - lines[3].size() - 1);
    uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const uint8_t*>(body.data()), body.size());
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    CHECK(manifest["sha256"] == hex);
    CHECK(depth(ob) == 3);  // a copy: still queued for upload
}

TEST_CASE("an export to a full stick removes its partial file and says the disk is full") {
    TempDir dir;
    OutboxSeams seams;
    seams.open_sink = util::failing_after(util::open_posix_sink, 2000);
    Outbox ob = open_ok(dir / "kiosk.db", OutboxLimits{}, seams);
    for (int i = 0; i < 5; ++i)
        REQUIRE(ob.enqueue(item(Kind::report, 1000, i)).ok());
    std::filesystem::create_directories(dir / "usb");
    auto done = ob.export_to(dir / "usb", 1795000100);
    REQUIRE_FALSE(done.ok());
    CHECK(done.error().code == "disk_full");
    CHECK(std::filesystem::is_empty(dir / "usb"));
    CHECK(depth(ob) == 5);
    CHECK(ob.export_to(dir / "missing-stick", 1).error().code == "io");
}
