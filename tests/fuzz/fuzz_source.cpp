// libFuzzer target: the document parser (UTF-8 check, "+++" front matter, TOML, Markdown scan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "content/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    kiosk::content::SourceErrors errors;
    auto doc = kiosk::content::parse_document(text, "fuzz.md", errors);
    // Either a document or at least one error, never both missing.
    if (!doc && errors.empty()) __builtin_trap();
    for (const auto& e : errors) {
        if (e.line < 0) __builtin_trap();
    }
    return 0;
}
