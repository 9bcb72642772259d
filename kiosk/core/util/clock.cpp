// The wall clock seam: system time unless pinned; a pinned clock still ticks (monotonically).
#include "util/clock.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace kiosk::util {

namespace {

std::atomic<bool> g_pinned{false};
std::atomic<int64_t> g_pinned_at{0};
std::atomic<int64_t> g_pinned_mono_ns{0};

int64_t mono_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int64_t wall_now() {
    if (g_pinned.load(std::memory_order_acquire)) {
        return g_pinned_at.load() + (mono_ns() - g_pinned_mono_ns.load()) / 1000000000;
    }
    return static_cast<int64_t>(std::time(nullptr));
}

void pin_wall_clock(int64_t at) {
    g_pinned_at.store(at);
    g_pinned_mono_ns.store(mono_ns());
    g_pinned.store(true, std::memory_order_release);
}

void unpin_wall_clock() {
    g_pinned.store(false, std::memory_order_release);
}

bool wall_clock_pinned() {
    return g_pinned.load();
}

Result<int64_t> parse_pinned_time(const std::string& text) {
    if (!text.empty() && text[0] == '@') {
        char* end = nullptr;
        long long v = std::strtoll(text.c_str() + 1, &end, 10);
        if (text.size() > 1 && *end == '\0' && v >= 0) return static_cast<int64_t>(v);
        return make_error("format", "not a time: '" + text + "' (want @UNIXSECONDS)");
    }
    return parse_utc_time(text);
}

Result<std::string> pin_wall_clock_from_environment() {
    const char* v = std::getenv("KIOSK_NOW");
    if (!v || !*v) return std::string();
    auto at = parse_pinned_time(v);
    if (!at) {
        return make_error("config", "KIOSK_NOW: " + at.error().message +
                                        " (use 2026-11-27T10:00:00Z, 2026-11-27 or @UNIXSECONDS)");
    }
    pin_wall_clock(*at);
    return "the clock is pinned to " + format_utc_time(*at) + " by KIOSK_NOW";
}

Result<int64_t> parse_utc_time(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char tail = 0;
    int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail);
    bool date_only = text.size() == 10 && n == 3;
    bool full = n == 7 && tail == 'Z' && text.size() == 20;
    if (!date_only && !full) return make_error("format", "not a UTC time: '" + text + "'");
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        s > 60) {
        return make_error("format", "time out of range: '" + text + "'");
    }
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    time_t t = timegm(&tm);
    std::tm back{};
    gmtime_r(&t, &back);
    if (back.tm_mday != d || back.tm_mon != mo - 1) {
        return make_error("format", "no such date: '" + text + "'");
    }
    return static_cast<int64_t>(t);
}

std::string format_utc_time(int64_t unix_seconds, const char* format) {
    time_t t = static_cast<time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

}  // namespace kiosk::util
