// The hub's clock offset and the corrected time.
#include "sync/hub_clock.hpp"

#include "util/clock.hpp"

namespace kiosk::sync {

int64_t corrected_time(int64_t local, std::optional<int64_t> offset) {
    if (!offset || (*offset <= kClockTrustS && *offset >= -kClockTrustS)) return local;
    return local + *offset;
}

void HubClock::record(int64_t server_time, int64_t local_time) {
    offset_ = server_time - local_time;
    known_ = true;
}

std::optional<int64_t> HubClock::offset() const {
    if (!known_) return std::nullopt;
    return offset_.load();
}

int64_t HubClock::now() const {
    return corrected_time(util::wall_now(), offset());
}

}  // namespace kiosk::sync
