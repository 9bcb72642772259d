// Tests for the kiosk_cjk tokenizer: the token streams FTS5 sees for documents and queries.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "text/cjk_tokenizer.hpp"

using kiosk::text::CharClass;
using kiosk::text::next_unit;
using kiosk::text::Token;
using kiosk::text::tokenize;
using kiosk::text::TokenizeFor;

namespace {

// "text@position" per token, with "+" marking a token colocated with the previous one.
std::vector<std::string> describe(const std::vector<Token>& tokens) {
    std::vector<std::string> out;
    for (const Token& t : tokens) {
        out.push_back((t.colocated ? "+" : "") + t.text + "@" + std::to_string(t.position));
    }
    return out;
}

std::vector<std::string> doc(std::string_view text) {
    return describe(tokenize(text, TokenizeFor::document));
}

std::vector<std::string> query(std::string_view text) {
    return describe(tokenize(text, TokenizeFor::query));
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_SUITE_BEGIN("cjk tokenizer");

TEST_CASE("a document indexes each Han character with the bigram that starts at it") {
    CHECK(doc("审批登记") ==
          Strings{"审@0", "+审批@0", "批@1", "+批登@1", "登@2", "+登记@2", "记@3"});
}

TEST_CASE("a one-character query is its unigram") {
    CHECK(query("审") == Strings{"审@0"});
}

TEST_CASE("a two-character query is a single bigram") {
    CHECK(query("审批") == Strings{"审批@0"});
}

TEST_CASE("a four-character query becomes three bigrams at successive positions") {
    CHECK(query("生育登记") == Strings{"生育@0", "育登@1", "登记@2"});
}

TEST_CASE("Latin letters and digits become lowercased words") {
    CHECK(doc("ABC12 def") == Strings{"abc12@0", "def@1"});
    CHECK(query("Hello") == Strings{"hello@0"});
}

TEST_CASE("fullwidth digits and letters fold to ASCII") {
    CHECK(doc("１２３５６") == Strings{"12356@0"});
    CHECK(query("ＡＢＣ") == Strings{"abc@0"});
}

TEST_CASE("a Latin word next to Han characters is its own token at the next position") {
    CHECK(doc("B超检查") == Strings{"b@0", "超@1", "+超检@1", "检@2", "+检查@2", "查@3"});
    CHECK(query("B超") == Strings{"b@0", "超@1"});
    CHECK(query("B超检查") == Strings{"b@0", "超检@1", "检查@2"});
}

TEST_CASE("a Han run followed by more query text keeps positions aligned with the document") {
    // Document: 检@0 查@1 超@2 b@3. Without the trailing unigram "b" would sit at 2 in the query.
    CHECK(query("检查超B") == Strings{"检查@0", "查超@1", "超@2", "b@3"});
    CHECK(query("审批，登记") == Strings{"审批@0", "批@1", "登记@2"});
}

TEST_CASE("punctuation, spaces and emoji separate tokens without taking a position") {
    CHECK(doc("办理。 😀证明！") == Strings{"办@0", "+办理@0", "理@1", "证@2", "+证明@2", "明@3"});
    CHECK(doc("，。！？😀 \t\n").empty());
    CHECK(query("\"AND\" OR (NEAR*)") == Strings{"and@0", "or@1", "near@2"});
}

TEST_CASE("pinyin tone marks, Latin-1, Greek and Cyrillic letters are lowercased into words") {
    CHECK(doc("LǛ Ö Ω Жук") == Strings{"lǜ@0", "ö@1", "ω@2", "жук@3"});
}

TEST_CASE("CJK extension A, extension B and compatibility ideographs are Han characters") {
    CHECK(next_unit("㐀", 0).cls == CharClass::han);
    CHECK(next_unit("𠀀", 0).cls == CharClass::han);
    CHECK(next_unit("豈", 0).cls == CharClass::han);
    CHECK(next_unit("〇", 0).cls == CharClass::han);
}

TEST_CASE("token byte offsets point at the source text") {
    std::string text = "办理B超，１２";
    for (const Token& t : tokenize(text, TokenizeFor::document)) {
        REQUIRE(t.end <= text.size());
        REQUIRE(t.begin < t.end);
    }
    auto tokens = tokenize(text, TokenizeFor::document);
    REQUIRE(tokens.size() == 6);  // 办 +办理 理 b 超 12
    CHECK(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin) == "办理");
    CHECK(text.substr(tokens[3].begin, tokens[3].end - tokens[3].begin) == "B");
    CHECK(text.substr(tokens[5].begin, tokens[5].end - tokens[5].begin) == "１２");
    CHECK(tokens[5].text == "12");
}

TEST_CASE("invalid UTF-8 sequences are one-byte separators") {
    // Overlong "/", a lone continuation byte, a UTF-16 surrogate, a value above U+10FFFF and a
    // truncated three-byte sequence at the end.
    std::string text = "ab\xC0\xAF"
                       "cd\x80"
                       "ef\xED\xA0\x80"
                       "gh\xF4\x90\x80\x80"
                       "审\xE5\xAE";
    CHECK(doc(text) == Strings{"ab@0", "cd@1", "ef@2", "gh@3", "审@4"});
    CHECK(next_unit("\xC0\xAF", 0).end == 1);
    CHECK(next_unit("\xED\xA0\x80", 0).cls == CharClass::separator);
    CHECK(next_unit("\xF4\x90\x80\x80", 0).folded == 0xFFFD);
}

TEST_CASE("random bytes never crash the tokenizer and every token lies inside the input") {
    uint64_t state = 12345;
    for (int round = 0; round < 200; ++round) {
        std::string text;
        for (int i = 0; i < 300; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            text.push_back(static_cast<char>(state >> 56));
        }
        for (TokenizeFor purpose : {TokenizeFor::document, TokenizeFor::query}) {
            for (const Token& t : tokenize(text, purpose)) {
                REQUIRE(t.begin < t.end);
                REQUIRE(t.end <= text.size());
                REQUIRE(!t.text.empty());
            }
        }
    }
}

TEST_CASE("an overlong word is cut at a code point boundary") {
    std::string text;
    for (int i = 0; i < 100; ++i)
        text += "é";
    auto tokens = tokenize(text, TokenizeFor::document);
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0].text.size() == kiosk::text::kMaxWordTokenBytes);
    CHECK(tokens[0].end == text.size());
    CHECK(next_unit(tokens[0].text, tokens[0].text.size() - 2).cls == CharClass::word);
}

TEST_SUITE_END();
