// The kiosk program's link to the county hub: the sync worker, the top bar's view of it, look-ups.
#include "sync_link.hpp"

#include <cstdio>

#include "sync/hub_receipt_lookup.hpp"

namespace kiosk::app {

SyncLink::SyncLink(const config::Config& cfg, std::function<void()> wake) {
    auto policy = store::install_policy(cfg);
    if (!policy) std::fprintf(stderr, "kiosk: %s\n", policy.error().message.c_str());
    sync::SyncOptions opt = sync::sync_options(cfg, policy ? *policy : store::InstallPolicy{});
    opt.on_change = wake;
    worker_ = std::make_unique<sync::SyncWorker>(std::move(opt));
    lookup_ = std::make_shared<sync::HubReceiptLookup>(cfg, [key = seal_key_] {
        std::lock_guard<std::mutex> lock(key->mu);
        return key->base64;
    });
    worker_->start();
}

SyncLink::~SyncLink() {
    worker_->stop();
}

ui::NetStatus SyncLink::net() const {
    const sync::SyncStatus s = worker_->status();
    ui::NetStatus n;
    n.configured = s.configured;
    n.online = s.online;
    n.queue = s.queue_depth;
    return n;
}

void SyncLink::submitted() {
    worker_->notify();
}

void SyncLink::set_seal_public_key(const std::string& base64) {
    std::lock_guard<std::mutex> lock(seal_key_->mu);
    seal_key_->base64 = base64;
}

}  // namespace kiosk::app
