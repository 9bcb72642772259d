// sd_notify for the kiosk session (deploy/systemd/sunshine-kiosk.service: Type=notify,
// WatchdogSec, NotifyAccess=all because cage is the main process and the kiosk its child).
#include "watchdog.hpp"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace kiosk::app {

namespace {

uint64_t now_us() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

uint64_t env_u64(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : 0;
}

}  // namespace

Watchdog::Watchdog() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0) {
        interval_us_ = usec;
    } else if (env_u64("WATCHDOG_PID") == static_cast<uint64_t>(getppid())) {
        // sd_watchdog_enabled only accepts WATCHDOG_PID == getpid(); systemd set it to cage's.
        interval_us_ = env_u64("WATCHDOG_USEC");
    }
    if (interval_us_ > 0)
        std::fprintf(stderr, "kiosk: systemd watchdog every %.1f s\n",
                     static_cast<double>(interval_us_) / 1e6);
    if (uint64_t ms = env_u64("KIOSK_FAULT_HANG_AFTER_MS")) hang_at_us_ = now_us() + ms * 1000;
}

int Watchdog::cap_timeout_ms(int wanted) const {
    if (interval_us_ == 0) return wanted;
    return std::min(wanted, static_cast<int>(std::max<uint64_t>(interval_us_ / 2000, 1)));
}

void Watchdog::ready() {
    if (ready_sent_) return;
    ready_sent_ = true;
    sd_notify(0, "READY=1\nSTATUS=showing the attract screen");
    last_ping_us_ = now_us();
    if (interval_us_ > 0) sd_notify(0, "WATCHDOG=1");
}

void Watchdog::alive() {
    const uint64_t now = now_us();
    if (hang_at_us_ != 0 && now >= hang_at_us_) {
        // The fault seam: the loop stops as a deadlock would stop it (signals still end us).
        std::fprintf(stderr, "kiosk: KIOSK_FAULT_HANG_AFTER_MS: the main loop stops here\n");
        for (;;)
            pause();
    }
    if (interval_us_ == 0 || !ready_sent_ || now - last_ping_us_ < interval_us_ / 4) return;
    last_ping_us_ = now;
    sd_notify(0, "WATCHDOG=1");
}

}  // namespace kiosk::app
