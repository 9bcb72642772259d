// Full-text search over a bundle's documents: the search_index schema, ranking and snippets.
//
// Highlighting is done here rather than with FTS5's snippet()/highlight(): those ignore colocated
// tokens, so bigram matches would be marked on the wrong characters. Our matcher works on the same
// folded code points as the tokenizer, with the same word boundaries, so what is marked is what
// matched.
#include "store/search.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "text/cjk_tokenizer.hpp"

namespace kiosk::store {
namespace {

using text::CharClass;
using text::TextUnit;

constexpr size_t kMaxTerms = 32;
constexpr double kTitleWeight = 5.0;
constexpr double kBodyWeight = 1.0;
constexpr const char* kEllipsis = "…";

struct Term {
    std::u32string folded;  // code points as the tokenizer folds them
    std::string text;       // the same, UTF-8: what FTS5 and instr() see
    bool starts_with_word = false;
    bool ends_with_word = false;
    bool prefix = false;  // a word at the end may continue ("1235" → "12356")
    bool has_ascii_letter = false;
};

// Splits a query into terms at every separator; see search() in the header for the rules.
std::vector<Term> parse_terms(std::string_view query) {
    std::vector<Term> terms;
    Term current;
    size_t last_index = SIZE_MAX;  // where the term that ends the query went
    auto finish = [&]() {
        if (current.folded.empty()) return;
        auto same = [&](const Term& t) { return t.folded == current.folded; };
        auto found = std::find_if(terms.begin(), terms.end(), same);
        if (found != terms.end()) {
            last_index = static_cast<size_t>(found - terms.begin());
        } else if (terms.size() < kMaxTerms) {
            last_index = terms.size();
            terms.push_back(std::move(current));
        } else {
            last_index = SIZE_MAX;
        }
        current = Term{};
    };
    for (size_t pos = 0; pos < query.size();) {
        TextUnit u = text::next_unit(query, pos);
        pos = u.end;
        if (u.cls == CharClass::separator) {
            finish();
            last_index = SIZE_MAX;
            continue;
        }
        bool word = u.cls == CharClass::word;
        if (current.folded.empty()) current.starts_with_word = word;
        current.ends_with_word = word;
        if (u.folded >= 'a' && u.folded <= 'z') current.has_ascii_letter = true;
        current.folded.push_back(u.folded);
        text::append_utf8(current.text, u.folded);
    }
    finish();
    if (last_index < terms.size() && terms[last_index].ends_with_word) {
        terms[last_index].prefix = true;
    }
    return terms;
}

// Terms hold only letters, digits and Han characters, so quoting needs no escaping and FTS5
// operators typed by a user can never reach the expression parser.
std::string fts_expression(const std::vector<Term>& terms) {
    std::string expr;
    for (const Term& t : terms) {
        if (!expr.empty()) expr += " AND ";
        expr += '"';
        expr += t.text;
        expr += t.prefix ? "\"*" : "\"";
    }
    return expr;
}

bool matches_at(const std::vector<TextUnit>& units, size_t i, const Term& term) {
    size_t n = term.folded.size();
    if (i + n > units.size()) return false;
    for (size_t k = 0; k < n; ++k) {
        if (units[i + k].folded != term.folded[k]) return false;
    }
    // Words are whole tokens in the index: "356" does not occur in "12356".
    if (term.starts_with_word && i > 0 && units[i - 1].cls == CharClass::word) return false;
    size_t after = i + n;
    if (term.ends_with_word && !term.prefix && after < units.size() &&
        units[after].cls == CharClass::word) {
        return false;
    }
    return true;
}

// Sorted, with overlapping or touching ranges joined.
std::vector<Highlight> merged(std::vector<Highlight> ranges) {
    std::sort(ranges.begin(), ranges.end(),
              [](const Highlight& a, const Highlight& b) { return a.begin < b.begin; });
    std::vector<Highlight> out;
    for (const Highlight& r : ranges) {
        if (!out.empty() && r.begin <= out.back().end) {
            out.back().end = std::max(out.back().end, r.end);
        } else {
            out.push_back(r);
        }
    }
    return out;
}

std::vector<Highlight> title_highlights(std::string_view title, const std::vector<Term>& terms) {
    std::vector<TextUnit> units = text::decode_units(title);
    std::vector<Highlight> ranges;
    for (size_t i = 0; i < units.size(); ++i) {
        for (const Term& t : terms) {
            if (matches_at(units, i, t)) {
                ranges.push_back({units[i].begin, units[i + t.folded.size() - 1].end});
            }
        }
    }
    return merged(std::move(ranges));
}

bool is_blank(const TextUnit& u) {
    return u.folded < 0x20 || u.folded == ' ' || u.folded == 0x7F;
}

// A window of `width` code points around the first match (a third of it before the match), with
// whitespace runs collapsed to one space for a one-line display and invalid bytes shown as U+FFFD.
void make_snippet(std::string_view body, const std::vector<Term>& terms, size_t width,
                  SearchHit& hit) {
    if (width == 0 || body.empty()) return;
    // Decoded lazily: a match near the start of a long body should not pay for the rest of it.
    std::vector<TextUnit> units;
    size_t decoded_bytes = 0;
    auto decode_to = [&](size_t count) {
        while (units.size() < count && decoded_bytes < body.size()) {
            units.push_back(text::next_unit(body, decoded_bytes));
            decoded_bytes = units.back().end;
        }
    };
    size_t longest = 0;
    for (const Term& t : terms) {
        longest = std::max(longest, t.folded.size());
    }
    const size_t lookahead = longest + 1;  // matches_at() looks one unit past a match

    bool found = false;
    size_t first = 0;
    size_t first_length = 0;
    for (size_t i = 0; !found; ++i) {
        decode_to(i + lookahead);
        if (i >= units.size()) break;
        for (const Term& t : terms) {
            if (matches_at(units, i, t)) {
                found = true;
                first = i;
                first_length = t.folded.size();
                break;
            }
        }
    }
    size_t start = 0;
    if (found) {
        size_t before = first_length >= width ? 0 : std::min(width / 3, width - first_length);
        start = first - std::min(first, before);
    }
    decode_to(start + width + lookahead);
    const size_t n = units.size();
    const bool more = decoded_bytes < body.size();
    size_t end = std::min(n, start + width);
    if (end - start < width) start = end > width ? end - width : 0;  // here end is the real end

    std::string& out = hit.snippet;
    std::vector<size_t> offset(end - start + 1);
    if (start > 0) out += kEllipsis;
    bool after_blank = true;  // drops blanks right after the start
    for (size_t i = start; i < end; ++i) {
        const TextUnit& u = units[i];
        offset[i - start] = out.size();
        if (is_blank(u)) {
            if (!after_blank) out += ' ';
            after_blank = true;
            continue;
        }
        after_blank = false;
        bool invalid_byte = u.folded == 0xFFFD && u.end - u.begin == 1;
        if (invalid_byte) {
            text::append_utf8(out, 0xFFFD);
        } else {
            out.append(body.substr(u.begin, u.end - u.begin));
        }
    }
    offset[end - start] = out.size();
    if (!out.empty() && out.back() == ' ') out.pop_back();
    if (end < n || more) out += kEllipsis;

    std::vector<Highlight> ranges;
    for (size_t i = start; i < end; ++i) {
        for (const Term& t : terms) {
            size_t stop = i + t.folded.size();
            if (stop <= end && matches_at(units, i, t)) {
                ranges.push_back({offset[i - start], offset[stop - start]});
            }
        }
    }
    hit.snippet_highlights = merged(std::move(ranges));
}

struct Ranked {
    int64_t rowid;
    bool title_hit;
};

Result<std::vector<SearchHit>> load_hits(Database& db, const std::vector<Ranked>& ranked,
                                         const std::vector<Term>& terms,
                                         const SearchOptions& options) {
    auto stmt = db.prepare("SELECT d.id, d.title, d.kind, d.category, s.body "
                           "FROM documents AS d, search_index AS s "
                           "WHERE d.rowid = ?1 AND s.rowid = ?1");
    if (!stmt) return stmt.error();
    std::vector<SearchHit> hits;
    hits.reserve(ranked.size());
    for (const Ranked& r : ranked) {
        stmt->reset();
        stmt->bind(1, r.rowid);
        if (!stmt->step()) {
            if (stmt->error()) return *stmt->error();
            continue;  // indexed but not in documents: nothing to show
        }
        SearchHit hit;
        hit.doc_id = stmt->text(0);
        hit.title = stmt->text(1);
        hit.kind = stmt->text(2);
        hit.category = stmt->text(3);
        hit.title_hit = r.title_hit;
        hit.title_highlights = title_highlights(hit.title, terms);
        make_snippet(stmt->text(4), terms, options.snippet_chars, hit);
        hits.push_back(std::move(hit));
    }
    return hits;
}

Result<std::vector<Ranked>> collect_ranked(Statement& stmt) {
    std::vector<Ranked> ranked;
    while (stmt.step()) {
        ranked.push_back({stmt.integer(0), stmt.integer(1) != 0});
    }
    if (stmt.error()) return *stmt.error();
    return ranked;
}

}  // namespace

Status create_search_index(Database& db) {
    Status created = db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS search_index "
                             "USING fts5(title, body, tokenize = 'kiosk_cjk')");
    if (!created) {
        return make_error("sqlite", "cannot create search_index (is kiosk_cjk registered on this "
                                    "connection?): " +
                                        created.error().message);
    }
    return {};
}

Status index_document(Database& db, int64_t rowid, std::string_view title, std::string_view body) {
    auto stmt =
        db.prepare("INSERT OR REPLACE INTO search_index(rowid, title, body) VALUES (?1, ?2, ?3)");
    if (!stmt) return stmt.error();
    stmt->bind(1, rowid).bind(2, title).bind(3, body);
    return stmt->run();
}

Status optimize_search_index(Database& db) {
    return db.exec("INSERT INTO search_index(search_index) VALUES ('optimize')");
}

Result<std::vector<SearchHit>> search(Database& db, std::string_view query,
                                      const SearchOptions& options) {
    std::vector<Term> terms = parse_terms(query);
    if (terms.empty() || options.limit <= 0) return std::vector<SearchHit>{};
    // Only rowids and scores go through the sorter: carrying bodies for every match of a
    // one-character query would cost more than the search. Details are read for the top rows only.
    // kiosk_title_hit() and kiosk_rank() come with the tokenizer (see cjk_tokenizer.hpp).
    auto stmt = db.prepare("SELECT rowid, kiosk_title_hit(search_index) AS title_hit, "
                           "kiosk_rank(search_index, ?2, ?3) AS score "
                           "FROM search_index WHERE search_index MATCH ?1 "
                           "ORDER BY title_hit DESC, score, rowid LIMIT ?4");
    if (!stmt) return stmt.error();
    stmt->bind(1, fts_expression(terms))
        .bind(2, kTitleWeight)
        .bind(3, kBodyWeight)
        .bind(4, static_cast<int64_t>(options.limit));
    auto ranked = collect_ranked(*stmt);
    if (!ranked) return ranked.error();
    return load_hits(db, *ranked, terms, options);
}

Result<std::vector<SearchHit>> search_by_scan(Database& db, std::string_view query,
                                              const SearchOptions& options) {
    std::vector<Term> terms = parse_terms(query);
    if (terms.empty() || options.limit <= 0) return std::vector<SearchHit>{};
    std::string in_title;
    std::string anywhere;
    for (size_t i = 0; i < terms.size(); ++i) {
        std::string param = "?" + std::to_string(i + 2);
        // lower() only where it matters: it copies the whole body for every row.
        bool fold = terms[i].has_ascii_letter;
        std::string title = fold ? "lower(title)" : "title";
        std::string body = fold ? "lower(body)" : "body";
        if (i > 0) {
            in_title += " AND ";
            anywhere += " AND ";
        }
        in_title += "instr(" + title + ", " + param + ") > 0";
        anywhere +=
            "(instr(" + title + ", " + param + ") > 0 OR instr(" + body + ", " + param + ") > 0)";
    }
    auto stmt = db.prepare("SELECT rowid, " + in_title + " FROM search_index WHERE " + anywhere +
                           " ORDER BY 2 DESC, rowid LIMIT ?1");
    if (!stmt) return stmt.error();
    stmt->bind(1, static_cast<int64_t>(options.limit));
    for (size_t i = 0; i < terms.size(); ++i) {
        stmt->bind(static_cast<int>(i + 2), terms[i].text);
    }
    auto ranked = collect_ranked(*stmt);
    if (!ranked) return ranked.error();
    return load_hits(db, *ranked, terms, options);
}

}  // namespace kiosk::store
