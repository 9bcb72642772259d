// The source checker: each mistake county staff can make is reported as file:line with a reason.
#include <doctest/doctest.h>

#include <algorithm>

#include "content/source.hpp"
#include "test_support.hpp"

using namespace kiosk;
using namespace kiosk::testing;

namespace {

// Loads `dir` and returns the errors as "file:line: message" strings.
std::vector<std::string> errors_of(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : content::load_source(dir).errors)
        out.push_back(e.to_string());
    return out;
}

bool has_error(const std::vector<std::string>& errors, const std::string& text) {
    bool found =
        std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e == text; });
    if (!found) {
        for (const auto& e : errors)
            MESSAGE("got: " << e);
    }
    return found;
}

const char* const kArticleHead =
    "+++\nid = \"a-doc\"\nkind = \"article\"\ncategory = \"policy\"\ntitle = \"标题\"\n"
    "summary = \"摘要\"\nissuer = \"测试县\"\nupdated = 2026-01-02\n";

}  // namespace

TEST_CASE("the minimal source loads without errors and keeps fields and links") {
    TempDir dir;
    write_minimal_source(dir.path());
    auto src = load_ok(dir.path());
    REQUIRE(src.documents.size() == 3);
    const auto& guide = src.documents[0];  // sorted by id: guide-register, office-, policy-
    CHECK(guide.id == "guide-register");
    CHECK(guide.steps.size() == 1);
    CHECK(guide.basis[0].doc == "policy-law");
    CHECK(guide.linked_docs == std::vector<std::string>{"policy-law"});
    CHECK(src.rating_targets.size() == 4);  // township, office, two windows
    CHECK(src.documents[2].plain_text.find("公民有依法生育的权利") != std::string::npos);
}

TEST_CASE("a missing front-matter field is reported at the front matter's first line") {
    TempDir dir;
    write_minimal_source(dir.path());
    write_text(dir / "docs/x.md",
               "+++\nid = \"x\"\nkind = \"article\"\ncategory = \"policy\"\ntitle = \"标题\"\n"
               "issuer = \"县\"\nupdated = 2026-01-02\n+++\n正文\n");
    CHECK(has_error(errors_of(dir.path()), "docs/x.md:1: missing field 'summary'"));
}

TEST_CASE("an unknown kind is reported at its line") {
    TempDir dir;
    write_minimal_source(dir.path());
    std::string head = kArticleHead;
    head.replace(head.find("article"), 7, "poster");
    write_text(dir / "docs/x.md", head + "+++\n正文\n");
    CHECK(has_error(errors_of(dir.path()),
                    "docs/x.md:3: unknown kind 'poster' (article, guide, fees, office or notice)"));
}

TEST_CASE("a guide without steps is refused") {
    TempDir dir;
    write_minimal_source(dir.path());
    std::string text = read_text(dir / "docs/guides/register.md");
    auto from = text.find("[[steps]]");
    auto to = text.find("[[basis]]");
    text.erase(from, to - from);
    write_text(dir / "docs/guides/register.md", text);
    CHECK(has_error(errors_of(dir.path()), "docs/guides/register.md:1: missing [[steps]]"));
}

TEST_CASE("a broken internal link is reported at the line that holds it") {
    TempDir dir;
    write_minimal_source(dir.path());
    write_text(dir / "docs/x.md",
               std::string(kArticleHead) + "+++\n\n第一段。\n\n见[别处](doc:no-such-doc)。\n");
    CHECK(has_error(errors_of(dir.path()),
                    "docs/x.md:13: broken link: no document has id 'no-such-doc'"));
}

TEST_CASE("a link the kiosk cannot follow is reported") {
    TempDir dir;
    write_minimal_source(dir.path());
    write_text(dir / "docs/x.md", std::string(kArticleHead) + "+++\n见[别处](other.md)。\n");
    CHECK(has_error(errors_of(dir.path()), "docs/x.md:10: link target 'other.md' is neither doc:ID "
                                           "(another document) nor asset:NAME"));
}

TEST_CASE("duplicate ids are reported with both files") {
    TempDir dir;
    write_minimal_source(dir.path());
    std::string head = kArticleHead;
    head.replace(head.find("a-doc"), 5, "policy-law");
    write_text(dir / "docs/z.md", head + "+++\n正文\n");
    CHECK(has_error(errors_of(dir.path()),
                    "docs/z.md:2: duplicate id 'policy-law' (also in docs/policy/law.md)"));
}

TEST_CASE("invalid UTF-8 is reported with the line of the first bad byte") {
    TempDir dir;
    write_minimal_source(dir.path());
    write_text(dir / "docs/x.md", std::string(kArticleHead) + "+++\n好\n坏\xC3\x28\n");
    auto errors = errors_of(dir.path());
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("docs/x.md:11: invalid UTF-8 at byte", 0) == 0);
}

TEST_CASE("a TOML syntax error in the front matter gives the file line") {
    TempDir dir;
    write_minimal_source(dir.path());
    write_text(dir / "docs/x.md", "+++\nid = \"x\"\ntitle = \"没有结尾\n+++\n");
    auto errors = errors_of(dir.path());
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("docs/x.md:3: front matter:", 0) == 0);
}

TEST_CASE("an unknown front-matter field, a bad id and a missing image are each reported") {
    TempDir dir;
    write_minimal_source(dir.path());
    std::string head = kArticleHead;
    head.replace(head.find("a-doc"), 5, "Bad_Id");
    write_text(dir / "docs/x.md", head + "titel = \"错字\"\n+++\n![图](asset:none.png)\n");
    auto errors = errors_of(dir.path());
    CHECK(has_error(errors, "docs/x.md:2: id 'Bad_Id' may use only a-z, 0-9 and '-' (at most 64)"));
    CHECK(has_error(errors, "docs/x.md:9: unknown field 'titel'"));
}

TEST_CASE("a missing closing +++ and a file without front matter are reported") {
    TempDir dir;
    write_minimal_source(dir.path());
    write_text(dir / "docs/x.md", "+++\nid = \"x\"\n");
    write_text(dir / "docs/y.md", "# 只有正文\n");
    auto errors = errors_of(dir.path());
    CHECK(has_error(errors, "docs/x.md:1: the front matter opened here has no closing '+++' line"));
    CHECK(has_error(errors,
                    "docs/y.md:1: the file must start with a '+++' line opening the front matter"));
}

TEST_CASE("bundle.toml problems are reported with their lines") {
    TempDir dir;
    write_minimal_source(dir.path());
    std::string text = read_text(dir / "bundle.toml");
    text.replace(text.find("valid_days = 365"), 16, "valid_days = 0");
    write_text(dir / "bundle.toml", text);
    CHECK(has_error(errors_of(dir.path()),
                    "bundle.toml:3: 'valid_days' must be an integer from 1 to 3650"));
}

TEST_CASE("a document in an unknown category is refused") {
    TempDir dir;
    write_minimal_source(dir.path());
    std::string head = kArticleHead;
    head.replace(head.find("\"policy\""), 8, "\"posters\"");
    write_text(dir / "docs/x.md", head + "+++\n正文\n");
    CHECK(has_error(errors_of(dir.path()),
                    "docs/x.md:4: unknown category 'posters' (see bundle.toml)"));
}

TEST_CASE("the sample content in content/ loads without errors") {
    auto loaded = content::load_source(std::string(KIOSK_SOURCE_DIR) + "/content");
    for (const auto& e : loaded.errors)
        MESSAGE(e.to_string());
    CHECK(loaded.errors.empty());
    CHECK(loaded.source.documents.size() >= 30);
}
