// Status look-ups on the county hub for the 进度查询 screen: the look-up key is computed here
// (Argon2id, ~0.1 s) with the county salt from the installed bundle's sealing key, so the receipt
// code never leaves the terminal; then GET /api/v1/receipts/<key> with a short timeout on an easy
// handle of its own (never the worker's). look_up() blocks for up to ~timeout + 0.1 s: the app
// calls look_up_async() and polls the future each frame.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "sync/receipt_lookup.hpp"

namespace kiosk::sync {

class HubReceiptLookup final : public ReceiptLookup {
public:
    // seal_public_key: returns the installed bundle's seal_public_key (base64), read when a
    // look-up starts (the bundle can change under a running kiosk).
    HubReceiptLookup(config::Config cfg, std::function<std::string()> seal_public_key,
                     long timeout_s = 5);
    ~HubReceiptLookup() override;

    // Errors: "offline" (not enrolled, no network, the hub unreachable or slow), "not_found",
    // "rate_limited", "invalid" (not a valid code), "no_sealing_key", others with a technician's
    // message. Safe from several threads (look-ups are serialised).
    Result<ReceiptStatus> look_up(std::string_view code) override;

private:
    config::Config cfg_;
    std::function<std::string()> seal_public_key_;
    long timeout_s_;
    std::mutex mu_;
    struct Client;
    std::unique_ptr<Client> client_;
};

// Runs lookup->look_up(code) on a thread of its own; the UI polls
// `future.wait_for(std::chrono::seconds(0)) == std::future_status::ready` each frame. The
// shared_ptr keeps the look-up alive until the thread is done.
std::future<Result<ReceiptStatus>> look_up_async(std::shared_ptr<ReceiptLookup> lookup,
                                                 std::string code);

}  // namespace kiosk::sync
