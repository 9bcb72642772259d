// QR codes for receipts (libqrencode), as a plain module matrix that any renderer can draw.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace kiosk::submit {

struct QrMatrix {
    int size = 0;               // modules per side, without the quiet zone
    std::vector<uint8_t> dark;  // size * size, row by row; 1 = dark
    bool at(int x, int y) const { return dark[static_cast<size_t>(y) * size + x] != 0; }
};

// The text as 8-bit data at error correction level M (15 %: a smudged screen or paper still
// reads), in the smallest version that holds it. "too_long" past what a QR code can hold.
Result<QrMatrix> make_qr(std::string_view text);

}  // namespace kiosk::submit
