// The "kiosk_cjk" FTS5 tokenizer: Chinese as unigrams + bigrams, Latin and digits as folded words.
//
// Why unigrams + colocated bigrams: a trigram index cannot answer 1- and 2-character queries, and a
// unigram-only index answers long queries slowly (huge posting lists, phrase checks everywhere).
// Documents get, for each Han character at position i, the unigram and the bigram (i, i+1) at the
// same position. A query run of n ≥ 2 characters becomes its n-1 bigrams at successive positions,
// so it is a phrase of rare terms; a lone character becomes its unigram.
#include "text/cjk_tokenizer.hpp"

#include <cmath>
#include <cstdint>
#include <memory>

namespace kiosk::text {
namespace {

bool in(char32_t cp, char32_t lo, char32_t hi) {
    return cp >= lo && cp <= hi;
}

bool is_han(char32_t cp) {
    return cp == 0x3005 || cp == 0x3007 || in(cp, 0x3041, 0x3096) || in(cp, 0x309D, 0x309F) ||
           in(cp, 0x30A1, 0x30FA) || in(cp, 0x30FC, 0x30FF) || in(cp, 0x3400, 0x4DBF) ||
           in(cp, 0x4E00, 0x9FFF) || in(cp, 0xAC00, 0xD7A3) || in(cp, 0xF900, 0xFAFF) ||
           in(cp, 0x20000, 0x323AF);
}

// Lowercases the letters classify() accepts as word characters; others are returned unchanged.
char32_t to_lower(char32_t cp) {
    if (in(cp, 'A', 'Z')) return cp + 0x20;
    if (cp < 0x80) return cp;
    if (in(cp, 0xC0, 0xDE) && cp != 0xD7) return cp + 0x20;
    // Latin Extended-A pairs upper/lower case as even/odd, except where the parity flips.
    if (in(cp, 0x100, 0x137) || in(cp, 0x14A, 0x177)) return (cp % 2 == 0) ? cp + 1 : cp;
    if (in(cp, 0x139, 0x148) || in(cp, 0x179, 0x17E)) return (cp % 2 == 1) ? cp + 1 : cp;
    if (cp == 0x178) return 0xFF;
    // Pinyin vowels with tone marks (Ǎ ǎ … Ǜ ǜ).
    if (in(cp, 0x1CD, 0x1DC)) return (cp % 2 == 1) ? cp + 1 : cp;
    if (in(cp, 0x391, 0x3A9) && cp != 0x3A2) return cp + 0x20;
    if (in(cp, 0x400, 0x40F)) return cp + 0x50;
    if (in(cp, 0x410, 0x42F)) return cp + 0x20;
    return cp;
}

CharClass classify(char32_t cp) {
    if (cp < 0x80) {
        bool alnum = in(cp, '0', '9') || in(cp, 'a', 'z') || in(cp, 'A', 'Z');
        return alnum ? CharClass::word : CharClass::separator;
    }
    if (in(cp, 0xC0, 0x24F) && cp != 0xD7 && cp != 0xF7) return CharClass::word;
    if (cp == 0x386 || (in(cp, 0x388, 0x3CE) && cp != 0x3A2)) return CharClass::word;
    if (in(cp, 0x400, 0x4FF)) return CharClass::word;
    if (is_han(cp)) return CharClass::han;
    return CharClass::separator;
}

bool is_continuation(unsigned char b) {
    return (b & 0xC0) == 0x80;
}

// Writes the UTF-8 encoding of cp (a valid scalar value) to out; returns the byte count.
int encode_utf8(char32_t cp, char* out) {
    if (cp < 0x80) {
        out[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = static_cast<char>(0xC0 | (cp >> 6));
        out[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (cp >> 12));
        out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
}

// The token stream of one text, handed to `emit(tflags, token, size, begin, end)`, which returns
// SQLITE_OK to go on. It allocates nothing itself: under SQLite only `emit` could fail.
template <class Emit> int tokenize_with(std::string_view text, bool query, Emit& emit) {
    char buf[kMaxWordTokenBytes + 8];
    TextUnit prev;          // the previous Han character while inside a Han run
    size_t run_length = 0;  // Han characters in the current run
    bool owe_tail = false;  // query: the unigram that realigns positions after a bigram run
    TextUnit tail;
    int rc = SQLITE_OK;

    auto unigram = [&](const TextUnit& u) {
        int n = encode_utf8(u.folded, buf);
        return emit(0, buf, n, u.begin, u.end);
    };
    auto bigram = [&](const TextUnit& a, const TextUnit& b, int tflags) {
        int n = encode_utf8(a.folded, buf);
        n += encode_utf8(b.folded, buf + n);
        return emit(tflags, buf, n, a.begin, b.end);
    };
    // A query bigram run of n characters covers n-1 positions where the document used n; when
    // more tokens follow in the same phrase, the last character's unigram fills the gap.
    auto pay_tail = [&]() {
        if (!owe_tail) return SQLITE_OK;
        owe_tail = false;
        return unigram(tail);
    };
    auto end_han_run = [&]() {
        int r = SQLITE_OK;
        if (run_length == 0) return r;
        if (!query || run_length == 1) {
            r = unigram(prev);
        } else {
            owe_tail = true;
            tail = prev;
        }
        run_length = 0;
        return r;
    };

    size_t pos = 0;
    while (pos < text.size() && rc == SQLITE_OK) {
        TextUnit u = next_unit(text, pos);
        if (u.cls == CharClass::han) {
            if (run_length == 0) {
                rc = pay_tail();
            } else if (query) {
                rc = bigram(prev, u, 0);
            } else {
                rc = unigram(prev);
                if (rc == SQLITE_OK) rc = bigram(prev, u, FTS5_TOKEN_COLOCATED);
            }
            prev = u;
            ++run_length;
            pos = u.end;
            continue;
        }
        rc = end_han_run();
        if (rc == SQLITE_OK && u.cls == CharClass::word) rc = pay_tail();
        if (rc != SQLITE_OK) break;
        if (u.cls != CharClass::word) {
            pos = u.end;
            continue;
        }
        size_t size = 0;
        size_t begin = u.begin;
        size_t end = u.end;
        bool full = false;
        while (u.cls == CharClass::word) {
            char enc[4];
            int n = encode_utf8(u.folded, enc);
            if (!full && size + static_cast<size_t>(n) <= kMaxWordTokenBytes) {
                for (int i = 0; i < n; ++i) {
                    buf[size++] = enc[i];
                }
            } else {
                full = true;
            }
            end = u.end;
            if (end >= text.size()) break;
            u = next_unit(text, end);
        }
        rc = emit(0, buf, static_cast<int>(size), begin, end);
        pos = end;
    }
    if (rc == SQLITE_OK) rc = end_han_run();
    return rc;
}

int cjk_create(void*, const char** /*args*/, int arg_count, Fts5Tokenizer** out) {
    // No options: a typo in tokenize='…' should fail loudly rather than be ignored.
    if (arg_count > 0) return SQLITE_ERROR;
    static int instance = 0;  // stateless; FTS5 only needs a non-null handle
    *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
    return SQLITE_OK;
}

void cjk_delete(Fts5Tokenizer*) {}

int cjk_tokenize(Fts5Tokenizer*, void* context, int flags, const char* text, int size,
                 int (*x_token)(void*, int, const char*, int, int, int)) {
    if (text == nullptr || size <= 0) return SQLITE_OK;
    bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    auto emit = [&](int tflags, const char* token, int n, size_t begin, size_t end) {
        return x_token(context, tflags, token, n, static_cast<int>(begin), static_cast<int>(end));
    };
    return tokenize_with(std::string_view(text, static_cast<size_t>(size)), query, emit);
}

// Ranking functions for search(). FTS5's own bm25() reads each matching row's length from the
// %_docsize table with one SQL lookup per row: for a one- or two-character query that matches
// 10,000 documents those lookups alone cost ~8 ms. kiosk_rank() is BM25 without length
// normalisation (b = 0), so it needs only the match positions FTS5 has already decoded.
constexpr double kBm25K1 = 1.2;

// Per query: the number of phrases, then for each phrase its IDF and a per-row frequency slot.
struct RankData {
    int phrases;
    double* idf;
    double* freq;
};

int count_row(const Fts5ExtensionApi*, Fts5Context*, void* count) {
    ++*static_cast<int64_t*>(count);
    return SQLITE_OK;
}

// IDF as FTS5's bm25() computes it, floored so a term in every document still counts a little.
int make_rank_data(const Fts5ExtensionApi* api, Fts5Context* fts, RankData** out) {
    int phrases = api->xPhraseCount(fts);
    size_t bytes = sizeof(RankData) + 2 * sizeof(double) * static_cast<size_t>(phrases);
    auto* data = static_cast<RankData*>(sqlite3_malloc64(bytes));
    if (data == nullptr) return SQLITE_NOMEM;
    data->phrases = phrases;
    data->idf = reinterpret_cast<double*>(data + 1);
    data->freq = data->idf + phrases;
    sqlite3_int64 rows = 0;
    int rc = api->xRowCount(fts, &rows);
    for (int p = 0; p < phrases && rc == SQLITE_OK; ++p) {
        int64_t hits = 0;
        // One phrase alone ranks the same whatever its IDF: skip the extra pass over its matches.
        if (phrases > 1) rc = api->xQueryPhrase(fts, p, &hits, count_row);
        double idf = std::log((static_cast<double>(rows - hits) + 0.5) / (hits + 0.5));
        data->idf[p] = idf > 1e-6 ? idf : 1e-6;
    }
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, data, sqlite3_free);
    if (rc != SQLITE_OK) {
        sqlite3_free(data);
        return rc;
    }
    *out = data;
    return SQLITE_OK;
}

// kiosk_rank(search_index, weight_col0, weight_col1, ...): lower is better, like bm25().
void kiosk_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result,
                int arg_count, sqlite3_value** args) {
    auto* data = static_cast<RankData*>(api->xGetAuxdata(fts, 0));
    int rc = data ? SQLITE_OK : make_rank_data(api, fts, &data);
    int instances = 0;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    for (int p = 0; p < data->phrases; ++p)
        data->freq[p] = 0;
    for (int i = 0; i < instances; ++i) {
        int phrase = 0;
        int column = 0;
        int offset = 0;
        if (api->xInst(fts, i, &phrase, &column, &offset) != SQLITE_OK) continue;
        double weight = column < arg_count ? sqlite3_value_double(args[column]) : 1.0;
        data->freq[phrase] += weight;
    }
    double score = 0;
    for (int p = 0; p < data->phrases; ++p) {
        double f = data->freq[p];
        score += data->idf[p] * f * (kBm25K1 + 1) / (f + kBm25K1);
    }
    sqlite3_result_double(result, -score);
}

// kiosk_title_hit(search_index): 1 when every phrase occurs in the first column.
void kiosk_title_hit(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int,
                     sqlite3_value**) {
    int hit = 1;
    for (int p = 0; p < api->xPhraseCount(fts) && hit; ++p) {
        Fts5PhraseIter iter;
        int column = -1;
        int offset = -1;
        // Instances come in (column, offset) order, so the first one tells.
        int rc = api->xPhraseFirst(fts, p, &iter, &column, &offset);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(result, rc);
            return;
        }
        hit = column == 0;
    }
    sqlite3_result_int(result, hit);
}

}  // namespace

TextUnit next_unit(std::string_view text, size_t pos) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char b0 = byte(pos);
    const size_t left = text.size() - pos;
    char32_t cp = 0xFFFD;
    size_t length = 1;
    bool valid = false;
    if (b0 < 0x80) {
        cp = b0;
        valid = true;
    } else if (b0 >= 0xC2 && b0 <= 0xDF && left >= 2 && is_continuation(byte(pos + 1))) {
        cp = (char32_t(b0 & 0x1F) << 6) | (byte(pos + 1) & 0x3F);
        length = 2;
        valid = true;
    } else if (b0 >= 0xE0 && b0 <= 0xEF && left >= 3) {
        unsigned char b1 = byte(pos + 1);
        // E0 needs b1 ≥ A0 (no overlong forms); ED needs b1 ≤ 9F (no surrogates).
        bool b1_ok =
            is_continuation(b1) && !(b0 == 0xE0 && b1 < 0xA0) && !(b0 == 0xED && b1 > 0x9F);
        if (b1_ok && is_continuation(byte(pos + 2))) {
            cp = (char32_t(b0 & 0x0F) << 12) | (char32_t(b1 & 0x3F) << 6) | (byte(pos + 2) & 0x3F);
            length = 3;
            valid = true;
        }
    } else if (b0 >= 0xF0 && b0 <= 0xF4 && left >= 4) {
        unsigned char b1 = byte(pos + 1);
        // F0 needs b1 ≥ 90 (no overlong forms); F4 needs b1 ≤ 8F (nothing above U+10FFFF).
        bool b1_ok =
            is_continuation(b1) && !(b0 == 0xF0 && b1 < 0x90) && !(b0 == 0xF4 && b1 > 0x8F);
        if (b1_ok && is_continuation(byte(pos + 2)) && is_continuation(byte(pos + 3))) {
            cp = (char32_t(b0 & 0x07) << 18) | (char32_t(b1 & 0x3F) << 12) |
                 (char32_t(byte(pos + 2) & 0x3F) << 6) | (byte(pos + 3) & 0x3F);
            length = 4;
            valid = true;
        }
    }
    TextUnit unit;
    unit.begin = pos;
    unit.end = pos + length;
    if (!valid) {
        unit.folded = 0xFFFD;
        unit.cls = CharClass::separator;
        return unit;
    }
    // Fullwidth ASCII (U+FF01–FF5E) is what Chinese input methods type for "１２３５６" or
    // "ＡＢＣ".
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    unit.cls = classify(cp);
    unit.folded = unit.cls == CharClass::word ? to_lower(cp) : cp;
    return unit;
}

std::vector<TextUnit> decode_units(std::string_view text) {
    std::vector<TextUnit> units;
    units.reserve(text.size() / 2 + 1);
    for (size_t pos = 0; pos < text.size();) {
        units.push_back(next_unit(text, pos));
        pos = units.back().end;
    }
    return units;
}

void append_utf8(std::string& out, char32_t cp) {
    char buf[4];
    out.append(buf, static_cast<size_t>(encode_utf8(cp, buf)));
}

std::vector<Token> tokenize(std::string_view text, TokenizeFor purpose) {
    std::vector<Token> tokens;
    int position = -1;
    auto emit = [&](int tflags, const char* token, int n, size_t begin, size_t end) {
        bool colocated = (tflags & FTS5_TOKEN_COLOCATED) != 0;
        if (!colocated) ++position;
        tokens.push_back(
            Token{std::string(token, static_cast<size_t>(n)), position, colocated, begin, end});
        return SQLITE_OK;
    };
    (void)tokenize_with(text, purpose == TokenizeFor::query, emit);
    return tokens;
}

Status register_cjk_tokenizer(sqlite3* db) {
    if (db == nullptr) return make_error("fts5", "register_cjk_tokenizer needs an open connection");
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &raw, nullptr) != SQLITE_OK) {
        return make_error("fts5", std::string("SQLite has no FTS5: ") + sqlite3_errmsg(db));
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    // FTS5 hands out its API only through a typed pointer binding, so no SQL value can forge it.
    fts5_api* api = nullptr;
    sqlite3_bind_pointer(raw, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(raw);
    if (api == nullptr || api->iVersion < 2) {
        return make_error("fts5", "cannot obtain the FTS5 API from this SQLite connection");
    }
    fts5_tokenizer tokenizer{cjk_create, cjk_delete, cjk_tokenize};  // FTS5 copies it
    int rc = api->xCreateTokenizer(api, "kiosk_cjk", nullptr, &tokenizer, nullptr);
    if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "kiosk_rank", nullptr, kiosk_rank, nullptr);
    if (rc == SQLITE_OK) {
        rc = api->xCreateFunction(api, "kiosk_title_hit", nullptr, kiosk_title_hit, nullptr);
    }
    if (rc != SQLITE_OK) {
        return make_error("fts5", std::string("cannot register kiosk_cjk: ") + sqlite3_errstr(rc));
    }
    return {};
}

}  // namespace kiosk::text
