// The "kiosk_cjk" FTS5 tokenizer: Chinese as unigrams + bigrams, Latin and digits as folded words.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace kiosk::text {

// Registers, on one connection, the tokenizer "kiosk_cjk" and the FTS5 functions search() ranks
// with: kiosk_rank(tbl, w0, w1, …) (BM25 without length normalisation, lower is better) and
// kiosk_title_hit(tbl) (1 when every phrase occurs in the first column). The bundle builder and
// the kiosk must both call this before touching search_index: FTS5 looks tokenizers up by name
// on each connection.
Status register_cjk_tokenizer(sqlite3* db);

// How the tokenizer sees a code point.
// han: ideographs (CJK Unified, Ext A–H, compatibility), 〇, 々, kana and Hangul syllables:
//      scripts written without spaces, indexed per character.
// word: ASCII letters and digits (fullwidth folded), Latin-1/Extended-A letters, pinyin vowels
//       with tone marks, Greek and Cyrillic; runs of them form one lowercased word.
// separator: everything else, invalid UTF-8 bytes included.
enum class CharClass { han, word, separator };

// One code point of a text: its bytes [begin, end), the code point after folding (fullwidth
// ASCII to ASCII, upper to lower case; U+FFFD for an invalid byte) and its class.
struct TextUnit {
    size_t begin = 0;
    size_t end = 0;
    char32_t folded = 0;
    CharClass cls = CharClass::separator;
};

// Decodes the code point starting at byte `pos` (< text.size()). An invalid or truncated
// sequence yields a one-byte separator unit, so every byte is consumed exactly once.
TextUnit next_unit(std::string_view text, size_t pos);

// All units of a text, in order.
std::vector<TextUnit> decode_units(std::string_view text);

// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, char32_t cp);

// Word tokens longer than this are cut (at a code point boundary) in documents and queries alike,
// so a 100,000-letter "word" cannot bloat the index.
inline constexpr size_t kMaxWordTokenBytes = 64;

enum class TokenizeFor { document, query };

// A token as FTS5 receives it. `position` counts from 0; colocated tokens share one.
struct Token {
    std::string text;
    int position = 0;
    bool colocated = false;
    size_t begin = 0;
    size_t end = 0;
};

// The exact token stream the FTS5 tokenizer produces, for tests and diagnostics.
std::vector<Token> tokenize(std::string_view text, TokenizeFor purpose);

}  // namespace kiosk::text
