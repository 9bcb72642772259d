// The kiosk program's link to the county hub: the sync worker on its own thread, what the top
// bar shows of it, and the 进度查询 screen's look-ups through the hub. Nothing here blocks the
// loop: the worker and each look-up wake it with an event when they have news.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "sync/receipt_lookup.hpp"
#include "sync/sync_worker.hpp"
#include "ui/app_state.hpp"

namespace kiosk::app {

class SyncLink {
public:
    // Starts the worker. On a terminal not yet enrolled it only looks for an enrolment now and
    // then; the top bar shows nothing until there is a hub.
    SyncLink(const config::Config& cfg, std::function<void()> wake);
    ~SyncLink();  // stops the worker (cancelling a request in flight)
    SyncLink(const SyncLink&) = delete;
    SyncLink& operator=(const SyncLink&) = delete;

    ui::NetStatus net() const;
    // For the maintenance screen: the hub, this terminal's id, online or not, the last upload and
    // the last error, in a technician's words.
    std::string describe() const;
    // A submission was queued: upload it now.
    void submitted();
    // The installed bundle's sealing key changed (its salt makes the look-up keys).
    void set_seal_public_key(const std::string& base64);
    std::shared_ptr<sync::ReceiptLookup> receipt_lookup() const { return lookup_; }

private:
    // The installed bundle's sealing key, copied on the UI thread and read by look-up threads
    // (which may outlive this object: they share it).
    struct SealKey {
        std::mutex mu;
        std::string base64;
    };
    std::shared_ptr<SealKey> seal_key_ = std::make_shared<SealKey>();
    std::unique_ptr<sync::SyncWorker> worker_;
    std::shared_ptr<sync::ReceiptLookup> lookup_;
};

}  // namespace kiosk::app
