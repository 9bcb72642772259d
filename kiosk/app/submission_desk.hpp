// The program's side of the forms: the outbox in the state directory, sealing and queuing what a
// person submits, the printed receipt, and status look-ups. Runs on the UI thread on purpose: a
// submission costs one Argon2id (~0.1 s) and one synchronous transaction, and the receipt must
// not appear before the item is durable.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "store/content_store.hpp"
#include "submit/outbox.hpp"
#include "sync/receipt_lookup.hpp"
#include "ui/app_state.hpp"

namespace kiosk::app {

class SubmissionDesk {
public:
    explicit SubmissionDesk(config::Config cfg);

    // Why forms cannot be opened now (no sealing key, outbox full, disk low or failing), as a
    // sentence for the closed screen; empty when they can.
    std::string closed_reason(const store::ContentStore* store);
    // Seals and queues the form of `kind`: Submitted (durable) or SubmitRefused.
    ui::Action submit(const ui::AppState& state, const store::ContentStore* store,
                      submit::Kind kind);
    // Starts asking about a code: LookupPending (the answer comes from poll_lookup), or at once
    // a LookupAnswer for a code that is not valid.
    ui::Action look_up(const std::string& code);
    // The answer once it is there (with `wait`, blocks until it is: replays), if the code on the
    // screen is still the one asked about.
    std::optional<ui::Action> poll_lookup(bool wait, const std::string& code_now);
    // Who answers look-ups (offline until a hub is configured), and how the loop is woken when
    // an answer arrives.
    void set_receipt_lookup(std::shared_ptr<sync::ReceiptLookup> lookup,
                            std::function<void()> wake);

private:
    submit::Outbox* outbox();

    config::Config cfg_;
    std::optional<submit::Outbox> outbox_;
    std::string outbox_error_;
    std::shared_ptr<sync::ReceiptLookup> lookup_;
    std::function<void()> wake_;
    std::future<Result<sync::ReceiptStatus>> pending_lookup_;
    std::string asked_code_;
};

}  // namespace kiosk::app
