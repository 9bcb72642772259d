// Tests for Chinese full-text search: matching, ranking, snippets and hostile input.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "store/search.hpp"
#include "store/sqlite.hpp"
#include "text/cjk_tokenizer.hpp"

using kiosk::store::Database;
using kiosk::store::Highlight;
using kiosk::store::SearchHit;
using kiosk::store::SearchOptions;

namespace {

constexpr int kCreate = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

void prepare_schema(Database& db) {
    REQUIRE(kiosk::text::register_cjk_tokenizer(db.handle()).ok());
    REQUIRE(db.exec("CREATE TABLE documents(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                    "kind TEXT NOT NULL, category TEXT NOT NULL, title TEXT NOT NULL, "
                    "summary TEXT NOT NULL, body TEXT NOT NULL, fields TEXT NOT NULL, "
                    "sort INTEGER NOT NULL DEFAULT 0)")
                .ok());
    REQUIRE(kiosk::store::create_search_index(db).ok());
}

Database memory_db() {
    auto db = Database::open(":memory:", kCreate);
    REQUIRE(db.ok());
    prepare_schema(*db);
    return std::move(*db);
}

void add(Database& db, int64_t rowid, const std::string& title, const std::string& body) {
    auto stmt = db.prepare("INSERT INTO documents(rowid, id, kind, category, title, summary, body, "
                           "fields) VALUES (?1, ?2, 'guide', 'birth', ?3, '', ?4, '{}')");
    REQUIRE(stmt.ok());
    stmt->bind(1, rowid).bind(2, "doc-" + std::to_string(rowid)).bind(3, title).bind(4, body);
    REQUIRE(stmt->run().ok());
    REQUIRE(kiosk::store::index_document(db, rowid, title, body).ok());
}

std::vector<SearchHit> find(Database& db, std::string_view query, SearchOptions options = {}) {
    auto hits = kiosk::store::search(db, query, options);
    REQUIRE_MESSAGE(hits.ok(), (hits.ok() ? "" : hits.error().message));
    return std::move(*hits);
}

std::vector<std::string> ids(const std::vector<SearchHit>& hits) {
    std::vector<std::string> out;
    for (const SearchHit& h : hits)
        out.push_back(h.doc_id);
    return out;
}

// The highlighted parts of a text, in order.
std::vector<std::string> marked(const std::string& text, const std::vector<Highlight>& ranges) {
    std::vector<std::string> out;
    for (const Highlight& h : ranges) {
        REQUIRE(h.begin < h.end);
        REQUIRE(h.end <= text.size());
        out.push_back(text.substr(h.begin, h.end - h.begin));
    }
    return out;
}

std::vector<std::string> sorted_ids(const std::vector<SearchHit>& hits) {
    std::vector<std::string> out = ids(hits);
    std::sort(out.begin(), out.end());
    return out;
}

using Strings = std::vector<std::string>;

// Three small documents shared by most tests.
Database sample_db() {
    Database db = memory_db();
    add(db, 1, "生育登记办理指南", "夫妻双方可在乡镇计生服务站办理生育登记，需提供身份证明。");
    add(db, 2, "再生育审批流程",
        "符合条件的夫妻申请再生育，由县级卫生健康部门审批。咨询电话12356。");
    add(db, 3, "孕期检查项目", "孕期需要做B超检查和血常规检查，费用可按规定报销。");
    return db;
}

}  // namespace

TEST_SUITE_BEGIN("search");

TEST_CASE("a one-character query finds every document containing that character") {
    Database db = sample_db();
    auto hits = find(db, "育");
    CHECK(hits.size() == 2);
    CHECK(find(db, "孕").size() == 1);
}

TEST_CASE("a two-character query finds 审批 where trigram search would not") {
    Database db = sample_db();
    CHECK(ids(find(db, "审批")) == Strings{"doc-2"});
    // The trap this tokenizer exists for: FTS5's trigram tokenizer cannot answer it.
    REQUIRE(db.exec("CREATE VIRTUAL TABLE tri USING fts5(body, tokenize = 'trigram');"
                    "INSERT INTO tri(body) SELECT body FROM documents")
                .ok());
    auto stmt = db.prepare("SELECT count(*) FROM tri WHERE tri MATCH '审批'");
    REQUIRE(stmt.ok());
    REQUIRE(stmt->step());
    CHECK(stmt->integer(0) == 0);
}

TEST_CASE("a four-character query matches the characters only when consecutive") {
    Database db = sample_db();
    add(db, 4, "通知", "登记前请先确认生育情况。");  // 生育 and 登记, but not 生育登记
    CHECK(ids(find(db, "生育登记")) == Strings{"doc-1"});
}

TEST_CASE("the hotline number 12356 is found as a whole word") {
    Database db = sample_db();
    CHECK(ids(find(db, "12356")) == Strings{"doc-2"});
    CHECK(find(db, "2356").empty());
}

TEST_CASE("B超 is found inside B超检查 and highlighted in the snippet") {
    Database db = sample_db();
    auto hits = find(db, "B超");
    REQUIRE(ids(hits) == Strings{"doc-3"});
    CHECK(marked(hits[0].snippet, hits[0].snippet_highlights) == Strings{"B超"});
    CHECK(ids(find(db, "b超检查")) == Strings{"doc-3"});
}

TEST_CASE("fullwidth digits in a query find ASCII digits and the other way round") {
    Database db = sample_db();
    add(db, 5, "公告", "热线１２３５６全天服务。");
    auto hits = find(db, "１２３５６");
    CHECK(sorted_ids(hits) == Strings{"doc-2", "doc-5"});
    CHECK(sorted_ids(find(db, "12356")) == Strings{"doc-2", "doc-5"});
    for (const SearchHit& h : hits) {
        std::string expected = h.doc_id == "doc-5" ? "１２３５６" : "12356";
        CHECK(marked(h.snippet, h.snippet_highlights) == Strings{expected});
    }
}

TEST_CASE("a query spanning a Chinese and Latin boundary needs the parts adjacent") {
    Database db = memory_db();
    add(db, 1, "甲", "请携带ABC证明到窗口办理。");
    add(db, 2, "乙", "ABC 与 证明 分开出现。");
    CHECK(ids(find(db, "带ABC证")) == Strings{"doc-1"});
    CHECK(ids(find(db, "ABC证明")) == Strings{"doc-1"});
    CHECK(ids(find(db, "abc 证明")).size() == 2);
}

TEST_CASE("Latin queries match case-insensitively and are highlighted in the title") {
    Database db = memory_db();
    add(db, 1, "HIV检测免费", "免费检测。");
    auto hits = find(db, "hiv");
    REQUIRE(ids(hits) == Strings{"doc-1"});
    CHECK(marked(hits[0].title, hits[0].title_highlights) == Strings{"HIV"});
    CHECK(hits[0].title_hit);
}

TEST_CASE("the last Latin term also matches as a prefix while it is being typed") {
    Database db = sample_db();
    CHECK(ids(find(db, "1235")) == Strings{"doc-2"});
    CHECK(find(db, "1235 ").empty());  // a space says the word is complete
    auto hits = find(db, "电话1235");
    REQUIRE(ids(hits) == Strings{"doc-2"});
    CHECK(marked(hits[0].snippet, hits[0].snippet_highlights) == Strings{"电话1235"});
}

TEST_CASE("title hits are ranked before body hits") {
    Database db = memory_db();
    add(db, 1, "常见问题", "审批审批审批审批审批，审批材料，审批时限，审批窗口。");
    add(db, 2, "办事指南", "审批。");
    add(db, 3, "审批须知", "请按要求准备材料，材料齐全后当场受理。");
    auto hits = find(db, "审批");
    // Doc 1 has by far the best body score; the title still wins.
    REQUIRE(hits.size() == 3);
    CHECK(hits[0].doc_id == "doc-3");
    CHECK(hits[0].title_hit);
    CHECK_FALSE(hits[1].title_hit);
    CHECK_FALSE(hits[2].title_hit);
    CHECK(marked(hits[0].title, hits[0].title_highlights) == Strings{"审批"});
}

TEST_CASE("among body hits the document mentioning the query more often ranks higher") {
    Database db = memory_db();
    add(db, 1, "甲", "本通知所称审批，指县级部门的书面决定。");
    add(db, 2, "乙", "审批前核对材料，审批后告知结果，审批时限为十个工作日。");
    CHECK(ids(find(db, "审批")) == Strings{"doc-2", "doc-1"});
}

TEST_CASE("several terms must all match") {
    Database db = sample_db();
    CHECK(ids(find(db, "夫妻 审批")) == Strings{"doc-2"});
    CHECK(find(db, "夫妻 B超").empty());
}

TEST_CASE("snippet highlight offsets point at the query text") {
    Database db = memory_db();
    std::string body;
    for (int i = 0; i < 30; ++i)
        body += "前言部分";
    body += "社会抚养费征收标准已经调整";
    for (int i = 0; i < 30; ++i)
        body += "后续说明";
    add(db, 1, "通知", body);
    auto hits = find(db, "抚养费", SearchOptions{10, 30});
    REQUIRE(hits.size() == 1);
    const SearchHit& hit = hits[0];
    CHECK(hit.snippet.rfind("…", 0) == 0);
    CHECK(hit.snippet.size() >= 3);
    CHECK(hit.snippet.compare(hit.snippet.size() - 3, 3, "…") == 0);
    CHECK(marked(hit.snippet, hit.snippet_highlights) == Strings{"抚养费"});
    // 30 code points of text plus the two ellipses.
    CHECK(kiosk::text::decode_units(hit.snippet).size() == 32);
}

TEST_CASE("a title-only hit gets a snippet from the start of the body") {
    Database db = sample_db();
    auto hits = find(db, "指南");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].snippet.rfind("夫妻双方", 0) == 0);
    CHECK(hits[0].snippet_highlights.empty());
}

TEST_CASE("a query that occurs in no document returns an empty list") {
    Database db = sample_db();
    CHECK(find(db, "离婚").empty());
    CHECK(find(db, "xyz").empty());
}

TEST_CASE("an empty or blank query returns an empty list") {
    Database db = sample_db();
    CHECK(find(db, "").empty());
    CHECK(find(db, "   \t\n").empty());
    CHECK(find(db, "，。！").empty());
}

TEST_CASE("FTS5 syntax in user input is treated as literal text") {
    Database db = sample_db();
    for (const char* q : {"\"审批", "审批\"", "(审批", "审批)", "审批*", "^审批", "-审批", "+审批",
                          "审批:", "{审批}", "\"\"审批\"\"", "审批 \"\"", "*:审批"}) {
        CAPTURE(q);
        CHECK(ids(find(db, q)) == Strings{"doc-2"});
    }
    // Operators are just words here, and no document contains them.
    for (const char* q : {"审批 AND", "审批 OR", "NOT 审批", "NEAR(审批 登记)", "title:审批"}) {
        CAPTURE(q);
        CHECK(find(db, q).empty());
    }
    CHECK(find(db, "\"\"\"\"").empty());
}

TEST_CASE("a query of 5,000 emoji returns an empty list without error") {
    Database db = sample_db();
    std::string q;
    for (int i = 0; i < 5000; ++i)
        q += "😀";
    CHECK(find(db, q).empty());
}

TEST_CASE("a query with thousands of terms or characters is answered without error") {
    Database db = sample_db();
    std::string many_words;
    for (int i = 0; i < 5000; ++i)
        many_words += "w" + std::to_string(i) + " ";
    CHECK(find(db, many_words).empty());
    std::string long_han;
    for (int i = 0; i < 5000; ++i)
        long_han += "审批";
    CHECK(find(db, long_han).empty());
}

TEST_CASE("random mixes of FTS5 syntax, Chinese, Latin and bad bytes never make search fail") {
    Database db = sample_db();
    std::vector<std::string> pieces = {"审",  "批",   "生育",  "B",  "超",   "1", "2356", "\"",
                                       "*",   "(",    ")",     " ",  "\xFF", "😀", "１",   "NEAR",
                                       "AND", "OR",   ":",     "^",  "-",    "+", "{",    "}",
                                       ",",   "\xE5", "title", "\t", "'"};
    pieces.push_back(std::string(1, '\0'));  // SQLite is handed lengths, never C strings
    uint64_t state = 7;
    for (int round = 0; round < 300; ++round) {
        std::string q;
        for (int i = 0; i < 8; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            q += pieces[(state >> 33) % pieces.size()];
        }
        CAPTURE(q);
        REQUIRE(kiosk::store::search(db, q).ok());
        REQUIRE(kiosk::store::search_by_scan(db, q).ok());
    }
}

TEST_CASE("invalid UTF-8 in a query or a document does not break search") {
    Database db = sample_db();
    add(db, 9, "坏\xFF字节", "前\xC0\xAF后，审批\xE5\xAE");
    auto hits = find(db, "审\xFF批");  // the invalid byte separates 审 and 批
    CHECK(hits.size() == 2);
    auto exact = find(db, "\xFF\xFE审批\x80");
    CHECK(sorted_ids(exact) == Strings{"doc-2", "doc-9"});
    for (const SearchHit& h : exact)
        CHECK(marked(h.snippet, h.snippet_highlights).size() == 1);
}

TEST_CASE("a 100,000-character document is indexed and its snippet stays short") {
    Database db = memory_db();
    std::string body;
    for (int i = 0; i < 25000; ++i)
        body += "材料清单";
    body += "终审批复";
    add(db, 1, "长文档", body);
    auto hits = find(db, "审批");
    REQUIRE(hits.size() == 1);
    CHECK(kiosk::text::decode_units(hits[0].snippet).size() <= 62);
    CHECK(marked(hits[0].snippet, hits[0].snippet_highlights) == Strings{"审批"});
    CHECK(find(db, "材").size() == 1);
}

TEST_CASE("search works on a read-only connection") {
    namespace fs = std::filesystem;
    fs::path path =
        fs::temp_directory_path() / ("kiosk_search_ro_" + std::to_string(::getpid()) + ".sqlite");
    struct Remove {
        fs::path p;
        ~Remove() { fs::remove(p); }
    } cleanup{path};
    {
        auto db = Database::open(path.string(), kCreate);
        REQUIRE(db.ok());
        prepare_schema(*db);
        add(*db, 1, "生育登记", "在乡镇服务站办理。");
        REQUIRE(kiosk::store::optimize_search_index(*db).ok());
    }
    auto ro = Database::open("file:" + path.string() + "?mode=ro", SQLITE_OPEN_READONLY);
    REQUIRE(ro.ok());
    REQUIRE(kiosk::text::register_cjk_tokenizer(ro->handle()).ok());
    CHECK(ids(find(*ro, "登记")) == Strings{"doc-1"});
    CHECK(ids(find(*ro, "站")) == Strings{"doc-1"});
    CHECK_FALSE(kiosk::store::index_document(*ro, 2, "x", "y").ok());
}

TEST_CASE("search without the tokenizer registered fails with an error instead of crashing") {
    namespace fs = std::filesystem;
    fs::path path = fs::temp_directory_path() /
                    ("kiosk_search_notok_" + std::to_string(::getpid()) + ".sqlite");
    struct Remove {
        fs::path p;
        ~Remove() { fs::remove(p); }
    } cleanup{path};
    {
        auto db = Database::open(path.string(), kCreate);
        REQUIRE(db.ok());
        prepare_schema(*db);
        add(*db, 1, "生育登记", "办理。");
    }
    auto plain = Database::open(path.string(), SQLITE_OPEN_READONLY);
    REQUIRE(plain.ok());
    CHECK_FALSE(kiosk::store::search(*plain, "登记").ok());
}

TEST_CASE("the limit caps the number of hits") {
    Database db = sample_db();
    CHECK(find(db, "育", SearchOptions{1, 60}).size() == 1);
    CHECK(find(db, "育", SearchOptions{0, 60}).empty());
}

TEST_CASE("search_by_scan finds the same documents as search for Chinese queries") {
    Database db = sample_db();
    for (const char* q : {"育", "审批", "生育登记", "B超", "检查 费用"}) {
        CAPTURE(q);
        auto scanned = kiosk::store::search_by_scan(db, q);
        REQUIRE(scanned.ok());
        auto indexed = find(db, q);
        CHECK(sorted_ids(*scanned) == sorted_ids(indexed));
    }
}

TEST_SUITE_END();
