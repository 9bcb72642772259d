// The kiosk program's link to the county hub: the sync worker, the top bar's view of it, look-ups.
#include "sync_link.hpp"

#include <cstdio>

#include "sync/hub_receipt_lookup.hpp"
#include "util/clock.hpp"

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

std::string SyncLink::describe() const {
    const sync::SyncStatus s = worker_->status();
    if (!s.configured) return "未配置（本机尚未接入县级平台：kioskctl enroll）";
    auto when = [](int64_t t) {
        return t == 0 ? std::string("从未") : util::format_utc_time(t + 8 * 3600, "%m-%d %H:%M");
    };
    std::string text = std::string(s.online ? "在线" : "离线") + " · " + s.hub_url + " · 终端 " +
                       s.kiosk_id + "（" + s.township + "）\n上次上传 " + when(s.last_upload_at) +
                       " · 上次心跳 " + when(s.last_heartbeat_at) + " · 待发送 " +
                       std::to_string(s.queue_depth) + " · 退回 " + std::to_string(s.dead_letters);
    if (s.unauthorized) text += "\n平台拒绝了本机的令牌，请重新接入（kioskctl enroll）";
    if (!s.last_error.empty()) text += "\n最近错误：" + s.last_error;
    return text;
}

void SyncLink::submitted() {
    worker_->notify();
}

void SyncLink::set_seal_public_key(const std::string& base64) {
    std::lock_guard<std::mutex> lock(seal_key_->mu);
    seal_key_->base64 = base64;
}

}  // namespace kiosk::app
