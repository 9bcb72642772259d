// Turns a resident's draft into a sealed, durably queued submission and the receipt to show.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "submit/draft.hpp"
#include "submit/outbox.hpp"
#include "submit/receipt_code.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace kiosk::submit {

struct SubmitContext {
    std::string seal_public_key_base64;  // the bundle's seal_public_key; may be empty
    int64_t bundle_version = 0;
    std::string app_version = KIOSK_VERSION;
    int64_t rating_cooldown_s = 30 * 60;  // [submit] rating_cooldown_min * 60
    std::function<int64_t()> now = util::wall_now;
    RandomFill random = {};  // libsodium's CSPRNG when empty
};

// What the receipt screen shows. Only returned once the item is durable in the outbox.
struct Receipt {
    std::string id;
    Kind kind = Kind::report;
    std::string code;  // 16 digits; empty for ratings
    int64_t created_at = 0;
};

// Error codes of submit(), each with one calm sentence in Chinese for the person at the screen:
//   "invalid"         the draft is incomplete or wrong (what to fix)
//   "no_sealing_key"  the bundle carries no usable sealing key: nothing can be taken
//   "cooldown"        a rating of this window inside the cooldown
//   "full"            the outbox is full or the disk is low
//   "disk_full"       the disk filled while writing (nothing half written)
//   other             the state database failed ("store")
// Nothing is logged, and nothing is written unless the result is ok.
class Submitter {
public:
    Submitter(Outbox& outbox, SubmitContext ctx);

    // "no_sealing_key" when submissions cannot be taken at all, so the UI can say so before a
    // person starts writing; ok otherwise.
    Status ready() const;

    // Reports and consultations get a receipt code and a look-up key (Argon2id: ~50-100 ms).
    Result<Receipt> submit(const ReportDraft& draft);
    Result<Receipt> submit(const RatingDraft& draft);
    Result<Receipt> submit(const ConsultationDraft& draft);

    // When a rating of `target` will be taken again on this terminal; nullopt if it is now.
    Result<std::optional<int64_t>> rating_blocked_until(const std::string& target);

private:
    Outbox& outbox_;
    SubmitContext ctx_;
};

// A random UUID v4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx") from `random` (libsodium if empty).
std::string new_uuid_v4(const RandomFill& random = {});

}  // namespace kiosk::submit
