// Checks and cleaning for what residents type: mobile and ID numbers explained in plain Chinese,
// free text stripped of what must never enter a submission.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::submit {

// nullopt when the text is a mainland mobile number (^1[3-9]\d{9}$); otherwise one sentence in
// plain Chinese saying what to fix, for the person at the screen.
std::optional<std::string> mobile_problem(std::string_view phone);

// nullopt for an 18-character resident ID number (GB 11643-1999): 17 digits, a region that
// exists (first two digits), a real birth date not in the future (positions 7-14) and the
// ISO 7064 MOD 11-2 check character ('X' or 'x' for 10). Otherwise a sentence in Chinese naming
// the part that is wrong. `today` (Unix seconds) bounds the birth date; the one-argument form
// reads util::wall_now().
std::optional<std::string> id_number_problem(std::string_view id, int64_t today);
std::optional<std::string> id_number_problem(std::string_view id);

// What enters a submission: valid UTF-8 only (invalid bytes dropped), no C0/C1 control characters
// or DEL except '\n' (a tab becomes a space; '\r' is dropped so "\r\n" is one line break), no
// bidirectional embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069, which could
// make a staff reader see text in another order than it was written), no noncharacters; cut
// after max_chars code points.
std::string clean_text(std::string_view in, size_t max_chars);

// Code points in UTF-8 text (for a counter); each invalid byte counts as one.
size_t count_chars(std::string_view utf8);

}  // namespace kiosk::submit
