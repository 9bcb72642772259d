// Full-text search over a bundle's documents: the search_index schema, ranking and snippets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.hpp"
#include "util/result.hpp"

namespace kiosk::store {

// Creates the FTS5 table `search_index(title, body)` with tokenize='kiosk_cjk'
// (rowid = documents.rowid). The tokenizer must be registered on db first.
Status create_search_index(Database& db);

// Adds or replaces one document; body is plain text (no markup).
Status index_document(Database& db, int64_t rowid, std::string_view title, std::string_view body);

// Merges the index into one segment: call once after the last index_document of a bundle build
// (then VACUUM, as the old segments' pages are left free). Optional, but a read-only bundle never
// merges on its own and every query would read every segment.
Status optimize_search_index(Database& db);

struct Highlight {
    size_t begin;  // byte offsets into the string it belongs to
    size_t end;
};

struct SearchHit {
    std::string doc_id;
    std::string title;
    std::string kind;
    std::string category;
    std::vector<Highlight> title_highlights;
    std::string snippet;
    std::vector<Highlight> snippet_highlights;
    bool title_hit = false;  // every query term occurs in the title
};

struct SearchOptions {
    int limit = 50;
    size_t snippet_chars = 60;  // code points around the first hit
};

// Terms are the runs of Han characters, letters and digits in the query; punctuation, spaces and
// anything else separate them, so FTS5 syntax in user input is just more separators. Every term
// must match (AND), each as a phrase; the last term also matches as a prefix when it ends with a
// letter or digit and the user has not typed a space after it ("1235" finds "12356").
// Title hits come first, then BM25 with the title weighted 5x; the BM25 is kiosk_rank(), which
// leaves out length normalisation because reading every match's length made 1- and 2-character
// queries over 10,000 documents miss the 10 ms budget.
// Empty or blank query → empty list. Only the first 32 distinct terms are used.
Result<std::vector<SearchHit>> search(Database& db, std::string_view query,
                                      const SearchOptions& options = {});

// The same query answered by a plain instr() scan over the indexed title and body, for the
// benchmark's comparison. Latin is matched as a substring (ASCII case folded by lower()).
Result<std::vector<SearchHit>> search_by_scan(Database& db, std::string_view query,
                                              const SearchOptions& options = {});

}  // namespace kiosk::store
