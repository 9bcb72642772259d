// When to try the hub again after a failure: exponential backoff with full jitter (so a county's
// terminals coming back after an outage do not all knock at once), the hub's Retry-After honoured.
// Pure: the random source is a seeded engine, so tests replay exact delays.
#pragma once

#include <cstdint>
#include <random>

namespace kiosk::sync {

struct BackoffPolicy {
    double base_s = 2;                // the first retry waits up to this
    double cap_s = 300;               // no jittered wait is longer ([hub] backoff_cap_s)
    double floor_s = 0.5;             // nor shorter: never a busy loop, even with jitter near 0
    double retry_after_cap_s = 3600;  // a hub asking for more than an hour gets an hour
};

class Backoff {
public:
    explicit Backoff(BackoffPolicy policy, uint64_t seed = std::random_device{}());

    // Seconds to wait after one more failure. retry_after_s: the hub's Retry-After, negative when
    // it sent none; the wait is the larger of it (capped) and the jittered delay.
    double next_delay(int64_t retry_after_s = -1);
    // After a success: the next failure starts again from base_s.
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }
    const BackoffPolicy& policy() const { return policy_; }

private:
    BackoffPolicy policy_;
    std::mt19937_64 rng_;
    int failures_ = 0;
};

}  // namespace kiosk::sync
