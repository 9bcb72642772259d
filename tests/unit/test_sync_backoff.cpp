// Backoff: jittered, growing, capped, floored, Retry-After honoured; replayable with a seed.
#include <doctest/doctest.h>

#include "sync/backoff.hpp"
#include "sync/hub_clock.hpp"

using namespace kiosk::sync;

TEST_CASE("backoff waits grow up to the cap and never drop below the floor") {
    BackoffPolicy p;
    p.base_s = 2, p.cap_s = 60, p.floor_s = 0.5;
    Backoff b(p, 42);
    for (int i = 0; i < 40; ++i) {
        double d = b.next_delay();
        double ceiling = std::min(60.0, 2.0 * double(1ll << std::min(i, 30)));
        CHECK(d >= 0.5);
        CHECK(d <= ceiling);
    }
    CHECK(b.failures() == 40);
    b.reset();
    CHECK(b.next_delay() <= 2.0);
}

TEST_CASE("backoff with the same seed gives the same waits, another seed others") {
    BackoffPolicy p;
    Backoff a(p, 7), b(p, 7), c(p, 8);
    bool differs = false;
    for (int i = 0; i < 8; ++i) {
        double x = a.next_delay(), y = b.next_delay(), z = c.next_delay();
        CHECK(x == y);
        differs = differs || x != z;
    }
    CHECK(differs);
}

TEST_CASE(
    "backoff takes the larger of Retry-After and its own wait, Retry-After capped at an hour") {
    BackoffPolicy p;
    p.cap_s = 10;
    Backoff b(p, 1);
    CHECK(b.next_delay(120) == 120);
    CHECK(b.next_delay(0) >= 0.5);
    CHECK(b.next_delay(999999) == 3600);
}

TEST_CASE("backoff's jitter spreads terminals: many seeds give many different first waits") {
    BackoffPolicy p;
    p.base_s = 100, p.cap_s = 100;
    double lo = 1e9, hi = 0;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        double d = Backoff(p, seed).next_delay();
        lo = std::min(lo, d), hi = std::max(hi, d);
    }
    CHECK(lo < 20);
    CHECK(hi > 80);
}

TEST_CASE("the hub's clock corrects the local one only when it is off by more than a day") {
    CHECK(corrected_time(1000, std::nullopt) == 1000);
    CHECK(corrected_time(1000, 300) == 1000);
    CHECK(corrected_time(1000, -86400) == 1000);
    CHECK(corrected_time(0, 1795000000) == 1795000000);
    CHECK(corrected_time(1795000000, -86401) == 1795000000 - 86401);
}
