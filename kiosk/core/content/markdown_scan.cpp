// Walks a Markdown body with md4c: collects link targets and the plain text the search index holds.
#include <md4c.h>

#include <string>

#include "content/source.hpp"
#include "util/utf8.hpp"

namespace kiosk::content {

namespace {

struct ScanState {
    Document* doc;
    std::string text;
    std::vector<std::string> hrefs;
};

std::string attribute_text(const MD_ATTRIBUTE& attr) {
    return std::string(attr.text, attr.size);
}

int enter_block(MD_BLOCKTYPE, void*, void*) {
    return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* userdata) {
    auto* s = static_cast<ScanState*>(userdata);
    if (type == MD_BLOCK_TD || type == MD_BLOCK_TH) {
        s->text += ' ';
    } else if (!s->text.empty() && s->text.back() != '\n') {
        s->text += '\n';
    }
    return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* userdata) {
    auto* s = static_cast<ScanState*>(userdata);
    if (type == MD_SPAN_A)
        s->hrefs.push_back(attribute_text(static_cast<MD_SPAN_A_DETAIL*>(detail)->href));
    if (type == MD_SPAN_IMG)
        s->hrefs.push_back(attribute_text(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src));
    return 0;
}

int leave_span(MD_SPANTYPE, void*, void*) {
    return 0;
}

int text_cb(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* userdata) {
    auto* s = static_cast<ScanState*>(userdata);
    // md4c 0.4.8 can report an impossible length for some malformed tables: never trust a
    // piece of text longer than the whole body (see document_model.cpp).
    if (size > s->doc->body.size()) return 0;
    switch (type) {
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
        s->text += '\n';
        break;
    case MD_TEXT_NULLCHAR:
        break;
    case MD_TEXT_ENTITY:
        if (std::string_view(text, size) == "&nbsp;")
            s->text += ' ';
        else if (std::string_view(text, size) == "&amp;")
            s->text += '&';
        else if (std::string_view(text, size) == "&lt;")
            s->text += '<';
        else if (std::string_view(text, size) == "&gt;")
            s->text += '>';
        else
            s->text.append(text, size);
        break;
    default:
        s->text.append(text, size);
    }
    return 0;
}

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

}  // namespace

int body_line_of(const Document& doc, const std::string& needle) {
    size_t at = doc.body.find(needle);
    return at == std::string::npos ? doc.body_line
                                   : doc.body_line + util::line_of_offset(doc.body, at) - 1;
}

void scan_markdown(Document& doc, int first_line, SourceErrors& errors) {
    ScanState state{&doc, {}, {}};
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags =
        MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML | MD_FLAG_PERMISSIVEAUTOLINKS;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = text_cb;
    if (md_parse(doc.body.data(), static_cast<MD_SIZE>(doc.body.size()), &parser, &state) != 0) {
        errors.push_back({doc.file, first_line, "the Markdown body could not be parsed"});
        return;
    }
    doc.body_line = first_line;
    auto line_of_target = [&](const std::string& target) { return body_line_of(doc, target); };
    for (const auto& href : state.hrefs) {
        if (starts_with(href, "doc:")) {
            doc.linked_docs.push_back(href.substr(4));
        } else if (starts_with(href, "asset:")) {
            doc.linked_assets.push_back(href.substr(6));
        } else if (!(starts_with(href, "http:") || starts_with(href, "https:") ||
                     starts_with(href, "tel:") || starts_with(href, "mailto:"))) {
            errors.push_back(
                {doc.file, line_of_target(href),
                 "link target '" + href + "' is neither doc:ID (another document) nor asset:NAME"});
        }
    }
    doc.plain_text = std::move(state.text);
}

}  // namespace kiosk::content
