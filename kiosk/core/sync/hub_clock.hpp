// The hub's clock as a check on the terminal's own (DESIGN.md, Time): a kiosk without a battery
// or network time can boot in 1970 or years off. The offset (hub − local) is recorded at every
// heartbeat; corrected time is used only when the local clock is clearly wrong, by more than a
// day (a few minutes of drift or a pinned test clock are left alone), and nothing refuses to work
// before the hub has been heard.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

namespace kiosk::sync {

inline constexpr int64_t kClockTrustS = 24 * 3600;

// local + offset when |offset| > kClockTrustS, else local.
int64_t corrected_time(int64_t local, std::optional<int64_t> offset);

class HubClock {
public:
    void record(int64_t server_time, int64_t local_time);
    std::optional<int64_t> offset() const;
    // util::wall_now(), corrected as above. Safe from any thread.
    int64_t now() const;

private:
    std::atomic<int64_t> offset_{0};
    std::atomic<bool> known_{false};
};

}  // namespace kiosk::sync
