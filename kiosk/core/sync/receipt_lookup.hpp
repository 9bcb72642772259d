// Status look-ups by receipt code: the interface the kiosk's 进度查询 screen asks through. The
// sync worker fills it with the hub's answer; until a hub is configured, look-ups are offline.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::sync {

struct ReceiptStatus {
    std::string status;  // e.g. "received", "in_progress", "answered"
    std::string reply;   // the county's answer, when there is one
};

class ReceiptLookup {
public:
    virtual ~ReceiptLookup() = default;
    // code: 16 digits with a valid check digit. Errors: "offline" (no network or no hub),
    // "not_found", "rate_limited", others with a technician's message.
    virtual Result<ReceiptStatus> look_up(std::string_view code) = 0;
};

// The look-up of a terminal that has no hub yet: always "offline".
class OfflineReceiptLookup final : public ReceiptLookup {
public:
    Result<ReceiptStatus> look_up(std::string_view) override {
        return make_error("offline", "no hub is configured for status look-ups");
    }
};

}  // namespace kiosk::sync
