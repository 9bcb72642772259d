// Line splitting, exact base64 decoding and libsodium start-up for the sign/ parsers.
#include "sign/minisign_text.hpp"

#include <sodium.h>

#include <string>

#include "util/base64.hpp"

namespace kiosk::sign::detail {

Result<Lines> split_lines(std::string_view text, size_t max_lines, std::string_view what) {
    Lines lines;
    size_t pos = 0;
    size_t number = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() > kMaxLineBytes) {
            return make_error("format", std::string(what) + ": line " + std::to_string(number) +
                                            " is longer than 8 KiB");
        }
        if (line.find('\0') != std::string_view::npos ||
            line.find('\r') != std::string_view::npos) {
            return make_error("format", std::string(what) + ": line " + std::to_string(number) +
                                            " contains a NUL byte or a stray carriage return");
        }
        if (number <= max_lines) {
            lines.line[number - 1] = line;
            lines.count = number;
        } else if (!line.empty()) {
            return make_error("format", std::string(what) + " has unexpected text after line " +
                                            std::to_string(max_lines));
        }
    }
    while (lines.count > 0 && lines.line[lines.count - 1].empty())
        --lines.count;
    if (lines.count == 0) return make_error("format", std::string(what) + " is empty");
    return lines;
}

Status decode_exact(std::string_view b64, uint8_t* out, size_t size, std::string_view what) {
    auto n = util::base64_decode(b64, out, size);
    if (!n) return make_error("format", std::string(what) + ": " + n.error().message);
    if (*n != size) {
        return make_error("format", std::string(what) + " decodes to " + std::to_string(*n) +
                                        " bytes instead of " + std::to_string(size));
    }
    return {};
}

Status ensure_sodium() {
    static const int rc = sodium_init();  // thread-safe once; sodium_init is idempotent anyway
    if (rc < 0) return make_error("crypto", "libsodium failed to initialise");
    return {};
}

WipeOnExit::~WipeOnExit() {
    sodium_memzero(data_, size_);
}

}  // namespace kiosk::sign::detail
