// A token bucket per key (a terminal id): `per_minute` look-ups, refilled evenly, bursting to
// the same number. Kept in memory: refused look-ups leave nothing on disk.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace kiosk::hub {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    explicit RateLimiter(int per_minute) : per_minute_(per_minute > 0 ? per_minute : 1) {}

    // 0 when the call may go ahead (and is counted); otherwise the whole seconds to wait.
    int take(const std::string& key, Clock::time_point now) {
        std::lock_guard<std::mutex> lock(mutex_);
        const double rate = per_minute_ / 60.0;  // tokens per second
        auto [it, fresh] = buckets_.try_emplace(key, Bucket{double(per_minute_), now});
        Bucket& b = it->second;
        if (!fresh) {
            const double elapsed = std::chrono::duration<double>(now - b.at).count();
            b.tokens = std::min(double(per_minute_), b.tokens + elapsed * rate);
            b.at = now;
        }
        if (b.tokens >= 1.0) {
            b.tokens -= 1.0;
            return 0;
        }
        const double wait = (1.0 - b.tokens) / rate;
        return int(wait) + 1;
    }

private:
    struct Bucket {
        double tokens;
        Clock::time_point at;
    };
    int per_minute_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

}  // namespace kiosk::hub
