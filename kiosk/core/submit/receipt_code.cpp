// Receipt codes: CSPRNG digits by rejection sampling, and the Damm check digit.
#include "submit/receipt_code.hpp"

#include <sodium.h>

namespace kiosk::submit {

namespace {

// The Damm quasigroup of order 10 (weakly totally anti-symmetric, zero diagonal): running a
// valid code through it, check digit included, ends at 0.
constexpr uint8_t kDamm[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3}, {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6}, {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7}, {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

void system_random(uint8_t* out, size_t n) {
    // sodium_init is idempotent and thread-safe; randombytes needs it for its first use.
    static const int ready = sodium_init();
    (void)ready;
    randombytes_buf(out, n);
}

}  // namespace

std::string new_receipt_code(RandomFill fill) {
    if (!fill) fill = system_random;
    std::string code;
    code.reserve(kReceiptDigits);
    uint8_t buf[32];
    while (code.size() < kReceiptDigits - 1) {
        fill(buf, sizeof buf);
        for (uint8_t b : buf) {
            // 250 = 25 * 10: bytes above it would make 0-5 likelier than 6-9.
            if (b >= 250) continue;
            code.push_back(static_cast<char>('0' + b % 10));
            if (code.size() == kReceiptDigits - 1) break;
        }
    }
    sodium_memzero(buf, sizeof buf);
    code.push_back(damm_check_digit(code));
    return code;
}

char damm_check_digit(std::string_view digits) {
    int interim = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return '?';
        interim = kDamm[interim][c - '0'];
    }
    return static_cast<char>('0' + interim);
}

bool receipt_code_valid(std::string_view sixteen_digits) {
    if (sixteen_digits.size() != kReceiptDigits) return false;
    return damm_check_digit(sixteen_digits) == '0';
}

std::string format_receipt_code(std::string_view digits) {
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(digits[i]);
    }
    return out;
}

std::string receipt_digits(std::string_view typed) {
    std::string out;
    for (size_t i = 0; i < typed.size(); ++i) {
        char c = typed[i];
        if (c >= '0' && c <= '9') {
            out.push_back(c);
        } else if (i + 2 < typed.size() && static_cast<uint8_t>(c) == 0xEF &&
                   static_cast<uint8_t>(typed[i + 1]) == 0xBC &&
                   static_cast<uint8_t>(typed[i + 2]) >= 0x90 &&
                   static_cast<uint8_t>(typed[i + 2]) <= 0x99) {
            // U+FF10..U+FF19, full-width digits, are EF BC 90..99 in UTF-8.
            out.push_back(static_cast<char>('0' + (static_cast<uint8_t>(typed[i + 2]) - 0x90)));
            i += 2;
        }
    }
    return out;
}

}  // namespace kiosk::submit
