// The kiosk's sync worker (DESIGN.md, Sync): on its own thread with its own outbox connection it
// uploads queued submissions in batches, sends heartbeats, fetches and installs the bundle the
// hub offers, and backs off when the hub cannot be reached. The UI never waits on it: it reads a
// snapshot (status()), and calls notify() after queuing a submission.
//
// Each HTTP attempt prints one line to stderr ("kiosk-sync: ..."), so a test can count attempts.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "store/bundle_installer.hpp"
#include "sync/backoff.hpp"
#include "sync/hub_clock.hpp"
#include "sync/protocol.hpp"
#include "sync/sync_record.hpp"

namespace kiosk::sync {

struct SyncOptions {
    config::Config cfg;
    store::InstallPolicy install_policy;  // the same as `kioskctl import` uses
    BackoffPolicy backoff;                // cap_s from [hub] backoff_cap_s by sync_options()
    double unauthorized_wait_s = 1800;    // after a 401: no hammering a hub that revoked us
    double not_enrolled_wait_s = 60;      // how often to look for a new enrollment
    int64_t keep_sent_s = 24 * 3600;      // sent items are purged this long after sending
    long low_speed_time_s = 30;
    uint64_t seed = 0;                            // 0: a random seed for the jitter
    std::function<void(const std::string&)> log;  // default: one line to stderr
    std::function<void()> on_change;              // called on the worker thread after each pass
};

// Options from kiosk.toml.
SyncOptions sync_options(const config::Config& cfg, store::InstallPolicy policy);

// A snapshot for the UI and kioskctl; copying it is cheap.
struct SyncStatus {
    bool configured = false;  // enrolled (there is a hub to talk to)
    std::string kiosk_id, township, hub_url;
    bool online = false;        // the last attempt reached the hub
    bool unauthorized = false;  // the hub refused our token: a technician must re-enrol
    int64_t queue_depth = 0;    // pending items after the last pass
    int64_t dead_letters = 0;
    int64_t last_upload_at = 0;  // 0: never
    int64_t last_heartbeat_at = 0;
    std::string last_error;  // "" when the last pass succeeded
    int64_t last_error_at = 0;
    std::optional<int64_t> clock_offset_s;
    uint64_t bundles_installed = 0;  // grows by one per bundle installed: the UI switches when
                                     // it changes (at the next attract screen)
    int64_t installed_bundle_version = 0;
    uint64_t attempts = 0;         // passes made (each is at least one request)
    double next_attempt_in_s = 0;  // the wait chosen after the last pass
};

class SyncWorker {
public:
    explicit SyncWorker(SyncOptions options);
    ~SyncWorker();  // stop()
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void start();  // the thread; passes at once
    // Cancels a request in flight and joins the thread.
    void stop();
    // A submission was queued: upload it now, unless the worker must wait (Retry-After, 401).
    void notify();

    SyncStatus status() const;
    // The time of day, corrected by the hub's clock when the local one is off by over a day.
    int64_t corrected_now() const { return clock_.now(); }

    // One pass on the caller's thread: heartbeat (when due, or `force_heartbeat`), every pending
    // item uploaded, an offered bundle fetched and installed, old sent items purged. What the
    // thread does each time it wakes; `kioskctl sync --once` and tests call it directly.
    Status pass(bool force_heartbeat);
    // pass() plus the bookkeeping: status, record, and the wait chosen for the next pass.
    double step(bool force_heartbeat = false);

private:
    struct Impl;
    void run();

    SyncOptions opt_;
    std::unique_ptr<Impl> impl_;
    HubClock clock_;
    Backoff backoff_;

    mutable std::mutex mu_;
    std::condition_variable cv_;
    SyncStatus status_;
    bool woken_ = false;
    bool must_wait_ = false;  // Retry-After or 401: notify() does not cut the wait short
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace kiosk::sync
