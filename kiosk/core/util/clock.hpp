// The one clock for the time of day (DESIGN.md, Time): the "新" badge, the expiry checks,
// cooldowns, outbox timestamps and receipts all read wall_now(). Tests and demonstrations pin it
// (KIOSK_NOW); idle timers and animation use monotonic time, never this.
#pragma once

#include <cstdint>
#include <string>

#include "util/result.hpp"

namespace kiosk::util {

// Unix seconds: the system clock, or the pinned time plus the monotonic seconds since pinning.
int64_t wall_now();

// From now on wall_now() starts at `at` and ticks with the monotonic clock (timers keep working).
void pin_wall_clock(int64_t at);
void unpin_wall_clock();
bool wall_clock_pinned();

// "2026-11-27T10:00:00Z", "2026-11-27" (midnight UTC) or "@1795000000".
Result<int64_t> parse_pinned_time(const std::string& text);

// Pins the clock from KIOSK_NOW when it is set. Returns the line a program logs ("the clock is
// pinned to 2026-11-27T10:00:00Z by KIOSK_NOW"), empty when unset; a bad value is an error.
Result<std::string> pin_wall_clock_from_environment();

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC) to Unix seconds, and back (the long form).
Result<int64_t> parse_utc_time(const std::string& text);
// `format` is strftime's; the default is the long ISO 8601 form.
std::string format_utc_time(int64_t unix_seconds, const char* format = "%Y-%m-%dT%H:%M:%SZ");

}  // namespace kiosk::util
