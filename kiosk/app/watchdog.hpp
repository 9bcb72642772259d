// Tells systemd the kiosk is alive (sd_notify): READY=1 after the first frame, WATCHDOG=1 from
// the main loop, which must then wake at least twice per watchdog interval.
#pragma once

#include <cstdint>

namespace kiosk::app {

class Watchdog {
public:
    // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID. Under cage the unit's main process
    // is the compositor, our parent, so a watchdog meant for the parent is ours too.
    Watchdog();

    // The longest the loop may block: `wanted`, but at most half the watchdog interval.
    int cap_timeout_ms(int wanted) const;
    // After the first frame is on screen (once; later calls do nothing).
    void ready();
    // Each turn of the loop; sends WATCHDOG=1 at most every quarter interval.
    void alive();

private:
    uint64_t interval_us_ = 0;  // 0: no watchdog
    uint64_t last_ping_us_ = 0;
    uint64_t hang_at_us_ = 0;  // KIOSK_FAULT_HANG_AFTER_MS: the loop stops then (tests)
    bool ready_sent_ = false;
};

}  // namespace kiosk::app
