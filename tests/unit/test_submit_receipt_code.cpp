// Receipt codes: 16 CSPRNG digits with a Damm check digit that catches every single wrong digit
// and every swap of two adjacent digits.
#include <doctest/doctest.h>

#include <array>

#include "submit/receipt_code.hpp"

using namespace kiosk::submit;

TEST_CASE("a new receipt code is 16 digits whose check digit is valid") {
    for (int i = 0; i < 200; ++i) {
        std::string code = new_receipt_code();
        REQUIRE(code.size() == 16);
        CHECK(code.find_first_not_of("0123456789") == std::string::npos);
        CHECK(receipt_code_valid(code));
    }
}

TEST_CASE("the Damm check digit matches the published example and Luhn's blind spot") {
    CHECK(damm_check_digit("572") == '4');  // Damm's example: 5724 is valid
    CHECK(receipt_code_valid("5724000000000000") == (damm_check_digit("572400000000000") == '0'));
    std::string a = "123456789012309";
    std::string b = "123456789012390";  // the 09 <-> 90 swap Luhn cannot see
    std::string code = a + damm_check_digit(a);
    CHECK(receipt_code_valid(code));
    CHECK_FALSE(receipt_code_valid(b + code.back()));
    CHECK(damm_check_digit("12a") == '?');
}

TEST_CASE("every single wrong digit and every adjacent swap is caught on many random codes") {
    int checked = 0;
    for (int n = 0; n < 2000; ++n) {
        const std::string code = new_receipt_code();
        REQUIRE(receipt_code_valid(code));
        for (size_t pos = 0; pos < code.size(); ++pos) {
            for (char d = '0'; d <= '9'; ++d) {
                if (d == code[pos]) continue;
                std::string typo = code;
                typo[pos] = d;
                if (receipt_code_valid(typo))
                    FAIL("missed a wrong digit: " << code << " -> " << typo);
                ++checked;
            }
        }
        for (size_t pos = 0; pos + 1 < code.size(); ++pos) {
            if (code[pos] == code[pos + 1]) continue;
            std::string swapped = code;
            std::swap(swapped[pos], swapped[pos + 1]);
            if (receipt_code_valid(swapped)) FAIL("missed a swap: " << code << " -> " << swapped);
            ++checked;
        }
    }
    CHECK(checked > 2000 * 16 * 9);
}

TEST_CASE("receipt digits are uniform: bytes that would bias them are rejected") {
    // A source giving 250..255 first (must be skipped), then 0, 1, 2, ...: digits 0..9 repeating.
    uint8_t next = 250;
    RandomFill counting = [&](uint8_t* out, size_t n) {
        for (size_t i = 0; i < n; ++i) {
            out[i] = next;
            next = next == 255 ? 0 : static_cast<uint8_t>(next + 1);
        }
    };
    std::string code = new_receipt_code(counting);
    CHECK(code.substr(0, 15) == "012345678901234");
    CHECK(receipt_code_valid(code));

    std::array<int, 10> counts{};
    for (int i = 0; i < 4000; ++i) {
        std::string c = new_receipt_code();
        for (size_t k = 0; k < 15; ++k)
            ++counts[c[k] - '0'];
    }
    for (int c : counts)  // 6000 expected each; 5 % either way is > 6 standard deviations
        CHECK((c > 5700 && c < 6300));
}

TEST_CASE("receipt codes are shown in groups of four and read back from what was typed") {
    CHECK(format_receipt_code("1234567890123456") == "1234-5678-9012-3456");
    CHECK(format_receipt_code("12345") == "1234-5");
    CHECK(receipt_digits("1234-5678 9012-3456") == "1234567890123456");
    CHECK(receipt_digits(" 12３4\n") == "1234");  // full-width ３ from an input method
    CHECK(receipt_digits("无") == "");
}
