// libFuzzer target: the document model (md4c callbacks into blocks, spans, tables and images).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "content/document_model.hpp"
#include "util/utf8.hpp"

namespace {

using namespace kiosk::content;

void check_text(std::string_view text) {
    if (kiosk::util::find_invalid_utf8(text) != std::string_view::npos) __builtin_trap();
}

void check_spans(const std::vector<Span>& spans) {
    for (size_t i = 0; i < spans.size(); ++i) {
        check_text(spans[i].text);
        check_text(spans[i].link);
        if (spans[i].text.empty()) __builtin_trap();  // merged spans never keep empty text
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    DocumentModel model = parse_document_model(text);
    for (const auto& b : model.blocks) {
        check_spans(b.spans);
        check_text(b.image);
        check_text(b.alt);
        check_text(b.link);
        if (b.kind == BlockKind::list_item && (b.level < 1 || b.level > kMaxLevel))
            __builtin_trap();
        if (b.kind == BlockKind::quote && (b.level < 1 || b.level > kMaxLevel)) __builtin_trap();
        if (b.kind == BlockKind::heading && (b.level < 1 || b.level > 6)) __builtin_trap();
        if (b.kind == BlockKind::paragraph && b.spans.empty()) __builtin_trap();
        if (b.kind == BlockKind::table && b.columns == 0) __builtin_trap();
        for (const auto& row : b.rows) {
            if (row.cells.size() != b.columns) __builtin_trap();
            for (const auto& cell : row.cells)
                check_spans(cell.spans);
        }
    }
    for (const auto& id : linked_documents(model))
        check_text(id);
    return 0;
}
