// Builds the document model from md4c's callbacks: blocks, styled spans, tables, images.
#include "content/document_model.hpp"

#include <md4c.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <unordered_set>

#include "content/markdown_text.hpp"
#include "util/utf8.hpp"

namespace kiosk::content {

namespace {

using namespace markdown_text;

const char* const kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool same_style(const Span& a, const Span& b) {
    return a.bold == b.bold && a.italic == b.italic && a.code == b.code && a.strike == b.strike &&
           a.link == b.link;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t\n") == std::string_view::npos;
}

// A piece of inline content before the block ends; an image is decided on only then, because
// whether it stands alone depends on everything else in its paragraph.
struct Piece {
    Span span;  // image: text = alt, link = source
    bool image = false;
    std::string enclosing_link;  // image: the link around it, if any
};

// md4c's permissive autolinks run on through Chinese text ("www.gov.cn。然后" becomes one link),
// so a bare URL or e-mail address ends at its first CJK character. Returns the cut-off text.
Span cut_bare_url(Span& s) {
    Span tail = s;
    tail.text.clear();
    tail.link.clear();
    std::string_view href = s.link, text = s.text;
    if (text.empty() || href.size() < text.size() || href.substr(href.size() - text.size()) != text)
        return tail;
    std::string_view scheme = href.substr(0, href.size() - text.size());
    if (!(scheme.empty() || scheme == "http://" || scheme == "mailto:")) return tail;
    for (size_t i = 1; i < text.size(); ++i) {
        if ((text[i] & 0xC0) == 0xC0 && is_cjk(code_point_at(text, i))) {
            tail.text = text.substr(i);
            s.link.resize(s.link.size() - tail.text.size());
            s.text.resize(i);
            break;
        }
    }
    return tail;
}

void append_merged(std::vector<Span>& spans, Span s) {
    s.text = valid_utf8(s.text);
    s.link = valid_utf8(s.link);
    if (s.text.empty()) return;
    if (!spans.empty() && same_style(spans.back(), s))
        spans.back().text += s.text;
    else
        spans.push_back(std::move(s));
}

std::vector<Span> merge_spans(std::vector<Piece>& pieces) {
    std::vector<Span> spans;
    for (auto& p : pieces) {
        // An inline image leads where its enclosing link leads, or else to the picture itself.
        if (p.image && !p.enclosing_link.empty()) p.span.link = std::move(p.enclosing_link);
        Span tail = cut_bare_url(p.span);
        append_merged(spans, std::move(p.span));
        append_merged(spans, std::move(tail));
    }
    return spans;
}

std::string attribute_text(const MD_ATTRIBUTE& attr) {
    std::string out;
    if (attr.substr_offsets == nullptr) return std::string(attr.text, attr.size);
    for (int i = 0; attr.substr_offsets[i] < attr.size; ++i) {
        std::string_view part(attr.text + attr.substr_offsets[i],
                              attr.substr_offsets[i + 1] - attr.substr_offsets[i]);
        if (attr.substr_types[i] == MD_TEXT_ENTITY)
            out += decode_entity(part);
        else if (attr.substr_types[i] == MD_TEXT_NULLCHAR)
            out += kReplacement;
        else
            out.append(part);
    }
    return out;
}

Block block_of(BlockKind kind, int level = 0) {
    Block b;
    b.kind = kind;
    b.level = level;
    return b;
}

struct ListFrame {
    bool ordered = false;
    unsigned next_number = 1;
};

class Builder {
public:
    DocumentModel model;
    size_t source_size = 0;  // bytes of Markdown being parsed: no text piece can be longer

    // Each callback returns 0: md4c parses on.
    int enter_block(MD_BLOCKTYPE type, void* detail) {
        // A list item's first paragraph is the item's own text (loose lists wrap it in <p>).
        if (type == MD_BLOCK_P && open_ && block_.kind == BlockKind::list_item && pieces_.empty())
            return 0;
        if (type == MD_BLOCK_THEAD) in_head_ = true;
        if (type == MD_BLOCK_TR) table_.rows.push_back(TableRow{{}, in_head_});
        if (type == MD_BLOCK_TH || type == MD_BLOCK_TD) {
            in_cell_ = true;
            cell_align_ = align_of(static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align);
            cell_pieces_.clear();
            soft_break_pending_ = false;
        }
        if (type == MD_BLOCK_DOC || (type >= MD_BLOCK_THEAD && type <= MD_BLOCK_TD)) return 0;
        flush();
        if (type == MD_BLOCK_QUOTE) ++quote_depth_;
        if (type == MD_BLOCK_UL) lists_.push_back(ListFrame{false, 1});
        if (type == MD_BLOCK_OL)
            lists_.push_back(ListFrame{true, static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start});
        if (type == MD_BLOCK_LI) open(list_item());
        if (type == MD_BLOCK_HR) model.blocks.push_back(block_of(BlockKind::rule));
        if (type == MD_BLOCK_H) {
            auto level = static_cast<MD_BLOCK_H_DETAIL*>(detail)->level;
            open(block_of(BlockKind::heading, std::clamp(static_cast<int>(level), 1, 6)));
        }
        if (type == MD_BLOCK_CODE) open(block_of(BlockKind::code, list_depth()));
        if (type == MD_BLOCK_P) open(paragraph());
        if (type == MD_BLOCK_TABLE) {
            table_ = block_of(BlockKind::table);
            table_.columns = static_cast<MD_BLOCK_TABLE_DETAIL*>(detail)->col_count;
            in_table_ = true;
        }
        return 0;
    }

    int leave_block(MD_BLOCKTYPE type) {
        if (type == MD_BLOCK_THEAD) in_head_ = false;
        if ((type == MD_BLOCK_TH || type == MD_BLOCK_TD) && in_cell_ && !table_.rows.empty())
            table_.rows.back().cells.push_back(TableCell{merge_spans(cell_pieces_), cell_align_});
        if (type == MD_BLOCK_TH || type == MD_BLOCK_TD) in_cell_ = false;
        if (type >= MD_BLOCK_THEAD && type <= MD_BLOCK_TD) return 0;
        flush();
        if (type == MD_BLOCK_QUOTE) quote_depth_ = std::max(0, quote_depth_ - 1);
        if ((type == MD_BLOCK_UL || type == MD_BLOCK_OL) && !lists_.empty()) lists_.pop_back();
        if (type == MD_BLOCK_TABLE && in_table_) {
            for (auto& row : table_.rows)
                row.cells.resize(table_.columns);
            if (table_.columns > 0 && !table_.rows.empty())
                model.blocks.push_back(std::move(table_));
            table_ = Block{};
            in_table_ = false;
        }
        return 0;
    }

    int enter_span(MD_SPANTYPE type, void* detail) {
        if (image_depth_ > 0) {
            // Everything inside an image's brackets is its alt text, styles and all.
            if (type == MD_SPAN_IMG) ++image_depth_;
            return 0;
        }
        if (int* counter = style_counter(type)) ++*counter;
        if (type == MD_SPAN_A)
            links_.push_back(attribute_text(static_cast<MD_SPAN_A_DETAIL*>(detail)->href));
        if (type == MD_SPAN_IMG) {
            image_depth_ = 1;
            image_src_ = attribute_text(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src);
            alt_.clear();
        }
        return 0;
    }

    int leave_span(MD_SPANTYPE type) {
        if (image_depth_ > 0) {
            if (type == MD_SPAN_IMG && --image_depth_ == 0) {
                Piece p;
                p.span = style();
                p.span.text = std::move(alt_);
                p.span.link = std::move(image_src_);
                p.image = true;
                p.enclosing_link = links_.empty() ? std::string() : links_.back();
                add_piece(std::move(p));
            }
            return 0;
        }
        if (int* counter = style_counter(type)) *counter = std::max(0, *counter - 1);
        if (type == MD_SPAN_A && !links_.empty()) links_.pop_back();
        return 0;
    }

    int text(MD_TEXTTYPE type, std::string_view text) {
        if (image_depth_ > 0) {
            alt_ += decoded(type, text, " ");
            return 0;
        }
        if (type == MD_TEXT_SOFTBR) {
            soft_break_pending_ = true;
            soft_break_style_ = style();
            return 0;
        }
        Piece p;
        p.span = style();
        p.span.text = decoded(type, text, "\n");
        add_piece(std::move(p));
        return 0;
    }

    // Emits what is still open: md4c closes everything, but an aborted parse must not lose text.
    void finish() {
        flush();
        if (in_table_) leave_block(MD_BLOCK_TABLE);
    }

private:
    static Align align_of(MD_ALIGN a) {
        return a == MD_ALIGN_CENTER  ? Align::center
               : a == MD_ALIGN_RIGHT ? Align::right
                                     : Align::left;
    }

    int* style_counter(MD_SPANTYPE type) {
        if (type == MD_SPAN_EM) return &italic_;
        if (type == MD_SPAN_STRONG) return &bold_;
        if (type == MD_SPAN_CODE) return &code_;
        if (type == MD_SPAN_DEL) return &strike_;
        return nullptr;
    }

    static std::string decoded(MD_TEXTTYPE type, std::string_view text, const char* hard_break) {
        if (type == MD_TEXT_NULLCHAR) return kReplacement;
        if (type == MD_TEXT_BR) return hard_break;
        if (type == MD_TEXT_SOFTBR) return " ";
        if (type == MD_TEXT_ENTITY) return decode_entity(text);
        return std::string(text);
    }

    int list_depth() const { return std::min<int>(static_cast<int>(lists_.size()), kMaxLevel); }

    Block paragraph() const {
        if (quote_depth_ > 0) return block_of(BlockKind::quote, std::min(quote_depth_, kMaxLevel));
        return block_of(BlockKind::paragraph, list_depth());
    }

    Block list_item() {
        Block item = block_of(BlockKind::list_item, std::max(1, list_depth()));
        if (!lists_.empty() && lists_.back().ordered) {
            item.ordered = true;
            // md4c allows start numbers up to 999,999,999, so this stays far from INT_MAX.
            item.number = static_cast<int>(std::min(lists_.back().next_number++, 2000000000u));
        }
        return item;
    }

    Span style() const {
        Span s;
        s.bold = bold_ > 0;
        s.italic = italic_ > 0;
        s.code = code_ > 0 || (open_ && block_.kind == BlockKind::code);
        s.strike = strike_ > 0;
        if (!links_.empty()) s.link = links_.back();
        return s;
    }

    void open(Block b) {
        block_ = std::move(b);
        pieces_.clear();
        open_ = true;
        soft_break_pending_ = false;
    }

    void add_piece(Piece p) {
        std::vector<Piece>* sink = &pieces_;
        if (in_cell_) {
            sink = &cell_pieces_;
        } else if (!open_) {
            // Text after a nested list in a tight item continues that item as a paragraph.
            open(paragraph());
        }
        if (soft_break_pending_) {
            soft_break_pending_ = false;
            uint32_t before = sink->empty() ? 0 : last_code_point(sink->back().span.text);
            uint32_t after = p.span.text.empty() ? 0 : code_point_at(p.span.text, 0);
            if (!joins_without_space(before, after)) {
                Piece space;
                space.span = soft_break_style_;
                space.span.text = " ";
                sink->push_back(std::move(space));
            }
        }
        sink->push_back(std::move(p));
    }

    void flush() {
        if (!open_) return;
        open_ = false;
        soft_break_pending_ = false;
        Block b = std::move(block_);
        bool may_stand_alone = b.kind == BlockKind::paragraph || b.kind == BlockKind::quote;
        if (may_stand_alone && only_asset_images()) {
            for (auto& p : pieces_) {
                if (!p.image) continue;
                Block img = block_of(BlockKind::image, b.level);
                img.image = valid_utf8(std::string_view(p.span.link).substr(6));
                img.alt = valid_utf8(p.span.text);
                img.link = valid_utf8(p.enclosing_link);
                model.blocks.push_back(std::move(img));
            }
            pieces_.clear();
            return;
        }
        b.spans = merge_spans(pieces_);
        pieces_.clear();
        // A code block's text ends with the newline before its closing fence.
        if (b.kind == BlockKind::code && !b.spans.empty() && b.spans.back().text.back() == '\n')
            b.spans.back().text.pop_back();
        if (plain_text(b.spans).empty() && b.kind != BlockKind::list_item) return;
        model.blocks.push_back(std::move(b));
    }

    bool only_asset_images() const {
        bool any = false;
        for (const auto& p : pieces_) {
            if (p.image) {
                if (!starts_with(p.span.link, "asset:")) return false;
                any = true;
            } else if (!is_blank(p.span.text)) {
                return false;
            }
        }
        return any;
    }

    Block block_;
    bool open_ = false;
    std::vector<Piece> pieces_;

    std::vector<ListFrame> lists_;
    int quote_depth_ = 0;

    Block table_;
    bool in_table_ = false, in_head_ = false, in_cell_ = false;
    Align cell_align_ = Align::left;
    std::vector<Piece> cell_pieces_;

    int bold_ = 0, italic_ = 0, code_ = 0, strike_ = 0;
    std::vector<std::string> links_;
    int image_depth_ = 0;
    std::string image_src_, alt_;

    bool soft_break_pending_ = false;
    Span soft_break_style_;
};

Builder& builder_of(void* userdata) {
    return *static_cast<Builder*>(userdata);
}

}  // namespace

DocumentModel parse_document_model(std::string_view markdown) {
    // md4c takes a 32-bit size; kiosk documents are far smaller, so a longer input is cut.
    markdown = markdown.substr(0, std::numeric_limits<MD_SIZE>::max());
    Builder builder;
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags =
        MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML | MD_FLAG_PERMISSIVEAUTOLINKS;
    parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* builder) {
        return builder_of(builder).enter_block(type, detail);
    };
    parser.leave_block = [](MD_BLOCKTYPE type, void*, void* builder) {
        return builder_of(builder).leave_block(type);
    };
    parser.enter_span = [](MD_SPANTYPE type, void* detail, void* builder) {
        return builder_of(builder).enter_span(type, detail);
    };
    parser.leave_span = [](MD_SPANTYPE type, void*, void* builder) {
        return builder_of(builder).leave_span(type);
    };
    parser.text = [](MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* builder) {
        // md4c 0.4.8 can report an impossible length for some malformed tables (found by
        // fuzzing: a 154-byte input asked for 3.2 GB). No piece of text is longer than the
        // whole document, so such a piece is dropped rather than trusted.
        if (size > builder_of(builder).source_size) return 0;
        return builder_of(builder).text(type, std::string_view(text, size));
    };
    // A non-zero result means md4c ran out of memory; whatever was built so far is still shown.
    builder.source_size = markdown.size();
    (void)md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, &builder);
    builder.finish();
    return std::move(builder.model);
}

std::string plain_text(const std::vector<Span>& spans) {
    std::string out;
    for (const auto& s : spans)
        out += s.text;
    return out;
}

std::vector<std::string> linked_documents(const DocumentModel& model) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    auto note = [&](const std::string& link) {
        if (starts_with(link, "doc:") && seen.insert(link.substr(4)).second)
            out.push_back(link.substr(4));
    };
    auto note_spans = [&](const std::vector<Span>& spans) {
        for (const auto& s : spans)
            note(s.link);
    };
    for (const auto& b : model.blocks) {
        note_spans(b.spans);
        note(b.link);
        for (const auto& row : b.rows)
            for (const auto& cell : row.cells)
                note_spans(cell.spans);
    }
    return out;
}

}  // namespace kiosk::content
