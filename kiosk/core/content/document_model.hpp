// The document model: a Markdown body as flat blocks of styled spans, ready for a view to lay out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

// A run of text with one style. link is the href when the text is inside a link ("doc:ID",
// "asset:NAME", "tel:..", "https:..", "mailto:.."); an image shown inline as its alt text links
// where its enclosing link leads, or else to its own source ("asset:NAME").
struct Span {
    std::string text;
    bool bold = false;
    bool italic = false;
    bool code = false;
    bool strike = false;
    std::string link;
};

enum class BlockKind { heading, paragraph, list_item, table, image, rule, quote, code };
enum class Align { left, center, right };

struct TableCell {
    std::vector<Span> spans;
    Align align = Align::left;
};

struct TableRow {
    std::vector<TableCell> cells;
    bool header = false;
};

// The model is flat so the view can lay it out with one loop; nesting survives as `level`.
//
// Decisions the view can rely on:
// - list_item holds the item's own text only. A later paragraph of the same item becomes a
//   paragraph whose level is the item's level (drawn indented, without a marker); a nested list's
//   items follow with level + 1. An item with no text of its own is still a list_item (its marker
//   is drawn), so numbering never skips.
// - Levels (list depth, quote depth) are capped at kMaxLevel; deeper content keeps all its text.
// - A paragraph holding nothing but asset: images (and white space) becomes one image block per
//   image. Any other image (inside text, in a table cell, in a list item, or not an asset:)
//   becomes a span with its alt text (see Span::link).
// - Paragraphs inside a block quote are quote blocks (level = quote depth); other blocks inside a
//   quote keep their own kind.
// - Blocks with no text are dropped (empty paragraphs, headings, quotes, code), except list items.
// - A bare URL or e-mail address (a permissive autolink) ends at its first CJK character: md4c
//   would otherwise run "www.gov.cn。然后" into one link.
// - HTML is shown as text (MD_FLAG_NOHTML). Entities are decoded (named ones the kiosk's
//   documents use, and every numeric one); an unknown named entity stays as written.
struct Block {
    BlockKind kind = BlockKind::paragraph;
    int level = 0;            // heading: 1..6; list_item: depth from 1; quote: depth from 1;
                              // paragraph and code: depth of the list item they continue, else 0
    bool ordered = false;     // list_item in an ordered list
    int number = 0;           // list_item: its number in an ordered list (honours the list's start)
    std::vector<Span> spans;  // heading, paragraph, list_item, quote; code: one span (code = true)
    std::vector<TableRow> rows;  // table: every row padded (or cut) to `columns` cells
    size_t columns = 0;
    std::string image;  // image: asset name without "asset:"
    std::string alt;    // image: alt text
    std::string link;   // image: where tapping it leads when the image is inside a link, else ""
};

struct DocumentModel {
    std::vector<Block> blocks;
};

constexpr int kMaxLevel = 8;

// Never fails: malformed Markdown is still Markdown. Invalid UTF-8 sequences become U+FFFD.
// Adjacent spans with identical style are merged. A soft break becomes nothing between two CJK
// characters (Chinese text wraps without spaces; full-width punctuation and “”‘’—…· next to a CJK
// character count too) and a space otherwise; a hard break becomes '\n'.
DocumentModel parse_document_model(std::string_view markdown);

// All text of spans concatenated (for tests, accessibility and search).
std::string plain_text(const std::vector<Span>& spans);

// The IDs (without "doc:") of every doc: link in the model, including linked images and table
// cells, in order of appearance, without duplicates.
std::vector<std::string> linked_documents(const DocumentModel& model);

}  // namespace kiosk::content
