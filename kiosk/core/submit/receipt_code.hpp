// Receipt codes: 16 digits from a CSPRNG, the last a Damm check digit, shown as
// 1234-5678-9012-3456.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kiosk::submit {

// Fills a buffer with random bytes. Empty means libsodium's randombytes_buf; tests pass their own.
using RandomFill = std::function<void(uint8_t*, size_t)>;

inline constexpr size_t kReceiptDigits = 16;

// 15 uniform random digits (rejection sampling, so no digit is likelier than another: ~49.8 bits)
// followed by their Damm check digit. No separators.
std::string new_receipt_code(RandomFill fill = {});

// The Damm check digit ('0'..'9') of a string of ASCII digits; '?' if a non-digit is present.
// Damm rather than Luhn: it catches every single wrong digit and every swap of two adjacent
// digits (Luhn misses 09<->90), and needs no second table like Verhoeff.
char damm_check_digit(std::string_view digits);

// True for exactly 16 ASCII digits whose Damm check passes (the check digit included).
bool receipt_code_valid(std::string_view sixteen_digits);

// "1234567890123456" -> "1234-5678-9012-3456" (groups of four; a shorter input is grouped too).
std::string format_receipt_code(std::string_view digits);

// The digits of what a person typed or scanned, in order: separators and spaces dropped,
// full-width digits (０-９ from an input method) taken as ASCII digits.
std::string receipt_digits(std::string_view typed);

}  // namespace kiosk::submit
