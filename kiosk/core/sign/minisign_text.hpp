// Internal to sign/: the line-based text shared by minisign files and the sealing key files.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::sign::detail {

inline constexpr std::string_view kUntrustedPrefix = "untrusted comment: ";
inline constexpr std::string_view kTrustedPrefix = "trusted comment: ";
// No line of a key or signature file may be longer; minisign itself reads at most 8 KiB.
inline constexpr size_t kMaxLineBytes = 8192;

struct Lines {
    std::array<std::string_view, 4> line;
    size_t count = 0;
};

// Splits text at '\n' (a '\r' before it is dropped) into at most max_lines (<= 4) lines.
// A missing final newline and trailing blank lines are fine; more non-blank lines, lines over
// 8 KiB, NUL bytes or stray '\r' are "format" errors whose message starts with `what`.
Result<Lines> split_lines(std::string_view text, size_t max_lines, std::string_view what);

// Decodes a base64 line into exactly size bytes; "format" error naming `what` otherwise.
Status decode_exact(std::string_view b64, uint8_t* out, size_t size, std::string_view what);

// sodium_init() once per process; a "crypto" error if libsodium cannot start.
Status ensure_sodium();

// Wipes a buffer holding secrets when the scope ends, on every return path.
class WipeOnExit {
public:
    WipeOnExit(void* data, size_t size) : data_(data), size_(size) {}
    ~WipeOnExit();
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;

private:
    void* data_;
    size_t size_;
};

}  // namespace kiosk::sign::detail
