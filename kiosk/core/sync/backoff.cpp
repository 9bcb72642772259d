// Exponential backoff with full jitter: a uniform wait in [floor, min(cap, base * 2^n)].
#include "sync/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace kiosk::sync {

Backoff::Backoff(BackoffPolicy policy, uint64_t seed) : policy_(policy), rng_(seed) {}

double Backoff::next_delay(int64_t retry_after_s) {
    const int n = std::min(failures_, 30);  // 2^30 * base is past any cap; no overflow
    ++failures_;
    const double ceiling = std::min(policy_.cap_s, policy_.base_s * std::ldexp(1.0, n));
    const double lo = std::min(policy_.floor_s, ceiling);
    std::uniform_real_distribution<double> pick(lo, std::max(lo, ceiling));
    double delay = pick(rng_);
    if (retry_after_s >= 0)
        delay = std::max(delay, std::min(double(retry_after_s), policy_.retry_after_cap_s));
    return delay;
}

}  // namespace kiosk::sync
