// The sync worker's loop: one pass (heartbeat, uploads, bundle, purge), then a wait chosen by the
// outcome: the next heartbeat after a success, a jittered backoff after a failure, a long wait
// after a 401.
#include "sync/sync_worker.hpp"

#include <cstdio>
#include <filesystem>
#include <set>

#include "submit/outbox.hpp"
#include "sync/bundle_fetch.hpp"
#include "sync/enrollment.hpp"
#include "sync/http_client.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace kiosk::sync {

namespace {

// A batch's body stays well under the hub's kMaxRequestBytes even with base64's growth.
constexpr size_t kBatchBodyBudget = kMaxRequestBytes * 3 / 4;

size_t wire_size(const submit::Submission& s) {
    return s.sealed.size() * 4 / 3 + s.meta_json.size() + s.lookup_key.size() + 256;
}

// Statuses that say something about the items in the batch (malformed, too large): the batch is
// split to find the bad item, which alone is dead-lettered. Other 4xx (403, 404, 405, ...) say
// the hub or its URL is wrong, not the items: retried with backoff, nothing dead-lettered.
bool blames_items(long status) {
    return status == 400 || status == 413 || status == 422;
}

}  // namespace

struct SyncWorker::Impl {
    SyncOptions& opt;
    HubClock& clock;
    std::optional<HttpClient> client;
    std::string client_key;  // url + ca + token the client was made for
    std::optional<submit::Outbox> outbox;
    store::BundleInstaller installer;
    SyncRecord record;
    std::optional<Enrollment> enrollment;
    std::optional<BundleOffer> offer;
    int64_t retry_after_s = -1;  // from the last failed answer
    bool unauthorized = false;
    bool reached_hub = false;  // some request in this pass got an HTTP answer
    int64_t next_heartbeat_at = 0;
    bool offline_before = true;  // a heartbeat opens the first pass and every pass after failure
    std::set<std::string> corrupt_once;  // version+sha256 downloaded once with a bad checksum
    uint64_t installs = 0;
    const std::atomic<bool>* cancel = nullptr;

    Impl(SyncOptions& o, HubClock& c, const std::atomic<bool>* cancel_flag)
        : opt(o), clock(c), installer(o.cfg.state_dir, o.install_policy,
                                      store::InstallSeams{[&c] { return c.now(); }, {}, {}}),
          record(read_sync_record(o.cfg.state_dir)), cancel(cancel_flag) {
        if (record.clock_offset_known)
            c.record(util::wall_now() + record.clock_offset_s, util::wall_now());
    }

    void log(const std::string& line) {
        if (opt.log)
            opt.log(line);
        else
            std::fprintf(stderr, "kiosk-sync: %s\n", line.c_str());
    }

    Status connect() {
        auto ep = hub_endpoint(opt.cfg);
        if (!ep) {
            enrollment.reset();
            return ep.error();
        }
        enrollment = ep->enrollment;
        ep->http.low_speed_time_s = opt.low_speed_time_s;
        std::string key = ep->http.base_url + "\n" + ep->http.ca_file + "\n" + ep->http.pin_sha256 +
                          "\n" + ep->enrollment.token;
        if (!client || key != client_key) {
            client.emplace(ep->http);
            client->set_bearer(ep->enrollment.token);
            client->set_cancel_flag(cancel);
            client_key = key;
        }
        if (!outbox) {
            auto opened = submit::Outbox::open(submit::state_database_path(opt.cfg.state_dir),
                                               submit::outbox_limits(opt.cfg));
            if (!opened) return opened.error();
            outbox.emplace(std::move(*opened));
        }
        return {};
    }

    // An HTTP answer that is not success: the error the pass ends with.
    Error failed(const char* what, const HttpResponse& r) {
        reached_hub = true;
        retry_after_s = r.retry_after_s;
        if (r.status == 401) {
            unauthorized = true;
            return make_error("unauthorized", "the hub refused this terminal's token (revoked?) "
                                              "— re-enrol with kioskctl enroll");
        }
        return make_error("http_" + std::to_string(r.status),
                          std::string(what) + ": " + describe_http_error(r));
    }

    Status heartbeat() {
        Heartbeat hb;
        hb.app_version = KIOSK_VERSION;
        if (auto cur = installer.current()) hb.bundle_version = cur->meta.version;
        auto stats = outbox->stats();
        if (stats) {
            hb.queue_depth = stats->depth;
            hb.dead_letters = stats->dead_count;
            if (stats->oldest_created_at > 0)
                hb.oldest_item_age_s = std::max<int64_t>(0, clock.now() - stats->oldest_created_at);
        }
        if (auto free = util::free_disk_bytes(opt.cfg.state_dir))
            hb.free_disk_bytes = int64_t(*free);
        hb.clock = util::wall_now();
        hb.last_upload_at = record.last_upload_at;
        // A refused bundle is reported as long as it stands; otherwise an error since the last
        // heartbeat (the one that just ended an outage, say).
        if (!record.refused_bundle_reason.empty() &&
            record.refused_bundle_version > hb.bundle_version)
            hb.last_error = "bundle " + std::to_string(record.refused_bundle_version) +
                            " refused: " + record.refused_bundle_reason;
        else if (record.last_error_at >= record.last_heartbeat_at)
            hb.last_error = record.last_error;
        auto r = client->post_json(std::string(kApiPrefix) + "/heartbeat", encode(hb));
        if (!r) {
            log("heartbeat failed (" + r.error().code + "): " + r.error().message);
            return r.error();
        }
        if (r->status != 200) {
            log("heartbeat answered HTTP " + std::to_string(r->status));
            return failed("heartbeat", *r);
        }
        reached_hub = true;
        auto answer = decode_heartbeat_answer(r->body);
        if (!answer) return make_error("malformed", "heartbeat answer: " + answer.error().message);
        const int64_t local = util::wall_now();
        clock.record(answer->server_time, local);
        record.clock_offset_known = true;
        record.clock_offset_s = answer->server_time - local;
        record.last_heartbeat_at = clock.now();
        next_heartbeat_at = record.last_heartbeat_at + opt.cfg.hub_heartbeat_s;
        offer = answer->bundle;
        log("heartbeat ok" +
            (offer ? " (bundle " + std::to_string(offer->version) + " offered)" : std::string()));
        return {};
    }

    // One batch; a batch the hub blames as a whole is split until the bad item stands alone.
    Status upload(const std::vector<submit::Submission>& items) {
        SubmissionBatch batch;
        for (const auto& s : items)
            batch.items.push_back(to_wire(s));
        auto r = client->post_json(std::string(kApiPrefix) + "/submissions", encode(batch));
        if (!r) {
            log("upload of " + std::to_string(items.size()) + " failed (" + r.error().code +
                "): " + r.error().message);
            return r.error();
        }
        reached_hub = true;
        if (r->status == 200) return take_results(items, r->body);
        log("upload of " + std::to_string(items.size()) + " answered HTTP " +
            std::to_string(r->status));
        if (r->status >= 400 && r->status < 500 && blames_items(r->status)) {
            if (items.size() == 1) {
                const std::string reason = describe_http_error(*r);
                KIOSK_TRY(outbox->dead_letter(items[0].id, reason, clock.now()));
                log("item " + items[0].id + " dead-lettered: " + reason);
                return {};
            }
            const auto half = items.begin() + long(items.size() / 2);
            KIOSK_TRY(upload({items.begin(), half}));
            return upload({half, items.end()});
        }
        return failed("upload", *r);
    }

    Status take_results(const std::vector<submit::Submission>& items, const std::string& body) {
        auto res = decode_submission_results(body);
        if (!res) return make_error("malformed", "upload answer: " + res.error().message);
        std::set<std::string> asked;
        for (const auto& s : items)
            asked.insert(s.id);
        std::vector<std::string> sent;
        size_t stored = 0, duplicate = 0, rejected = 0;
        const int64_t now = clock.now();
        for (const auto& item : res->results) {
            if (!asked.count(item.id)) continue;  // not ours to act on
            if (item.outcome == ItemOutcome::rejected) {
                KIOSK_TRY(outbox->dead_letter(item.id, item.reason, now));
                ++rejected;
            } else {
                sent.push_back(item.id);
                ++(item.outcome == ItemOutcome::stored ? stored : duplicate);
            }
        }
        KIOSK_TRY(outbox->mark_sent(sent, now));
        record.last_upload_at = now;
        log("upload of " + std::to_string(items.size()) + ": " + std::to_string(stored) +
            " stored, " + std::to_string(duplicate) + " duplicate, " + std::to_string(rejected) +
            " rejected");
        if (stored + duplicate + rejected == 0)
            return make_error("malformed", "the hub's upload answer named none of the items");
        return {};
    }

    Status upload_all() {
        const size_t batch = size_t(std::max(1, opt.cfg.hub_upload_batch));
        for (;;) {
            auto items = outbox->pending(batch);
            if (!items) return items.error();
            if (items->empty()) return {};
            size_t bytes = 0, n = 0;
            while (n < items->size() &&
                   (n == 0 || bytes + wire_size((*items)[n]) < kBatchBodyBudget))
                bytes += wire_size((*items)[n++]);
            items->resize(n);
            KIOSK_TRY(upload(*items));
        }
    }

    Status fetch_offered_bundle() {
        if (!offer) return {};
        BundleFetch fetch{*client,
                          installer,
                          opt.cfg.state_dir,
                          opt.install_policy.max_bytes,
                          record,
                          corrupt_once,
                          [this](const std::string& l) { log(l); }};
        auto got = fetch.run(*offer);
        if (!got) return got.error();
        if (*got) ++installs;
        return {};
    }

    Status pass(bool force_heartbeat) {
        reached_hub = false;
        retry_after_s = -1;
        unauthorized = false;
        KIOSK_TRY(connect());
        if (force_heartbeat || offline_before || clock.now() >= next_heartbeat_at)
            KIOSK_TRY(heartbeat());
        KIOSK_TRY(upload_all());
        KIOSK_TRY(fetch_offered_bundle());
        auto purged = outbox->purge_sent(clock.now() - opt.keep_sent_s);
        if (!purged) return purged.error();
        return {};
    }
};

SyncOptions sync_options(const config::Config& cfg, store::InstallPolicy policy) {
    SyncOptions o;
    o.cfg = cfg;
    o.install_policy = std::move(policy);
    o.backoff.cap_s = cfg.hub_backoff_cap_s;
    return o;
}

SyncWorker::SyncWorker(SyncOptions options)
    : opt_(std::move(options)),
      backoff_(opt_.backoff, opt_.seed ? opt_.seed : std::random_device{}()) {
    impl_ = std::make_unique<Impl>(opt_, clock_, &stopping_);
    status_.clock_offset_s = clock_.offset();
    status_.last_upload_at = impl_->record.last_upload_at;
    status_.last_heartbeat_at = impl_->record.last_heartbeat_at;
    status_.last_error = impl_->record.last_error;
    status_.last_error_at = impl_->record.last_error_at;
}

SyncWorker::~SyncWorker() {
    stop();
}

Status SyncWorker::pass(bool force_heartbeat) {
    return impl_->pass(force_heartbeat);
}

double SyncWorker::step(bool force_heartbeat) {
    Impl& m = *impl_;
    Status done = m.pass(force_heartbeat);
    const int64_t now = clock_.now();
    double wait = 0;
    bool must_wait = false;
    m.record.last_attempt_at = now;
    if (done) {
        backoff_.reset();
        m.offline_before = false;
        m.record.online = true;
        wait = double(std::max<int64_t>(1, m.next_heartbeat_at - now));
    } else {
        const Error& e = done.error();
        m.record.online = m.reached_hub;
        if (e.code != "cancelled") {
            m.record.last_error = e.message;
            m.record.last_error_at = now;
        }
        if (e.code == "not_enrolled") {
            wait = opt_.not_enrolled_wait_s;
        } else if (m.unauthorized) {
            wait = opt_.unauthorized_wait_s, must_wait = true;
        } else {
            m.offline_before = true;  // the next pass starts with a heartbeat
            wait = backoff_.next_delay(m.retry_after_s);
            must_wait = m.retry_after_s > 0;
        }
        m.log("pass failed (" + e.code + "), next attempt in " + std::to_string(int(wait + 0.5)) +
              " s: " + e.message);
    }
    if (m.enrollment) (void)write_sync_record(opt_.cfg.state_dir, m.record);
    SyncStatus s;
    s.configured = m.enrollment.has_value();
    if (m.enrollment) {
        s.kiosk_id = m.enrollment->kiosk_id;
        s.township = m.enrollment->township;
        s.hub_url = m.enrollment->hub_url;
    }
    s.online = m.record.online && done.ok();
    s.unauthorized = m.unauthorized;
    if (m.outbox) {
        if (auto st = m.outbox->stats()) s.queue_depth = st->depth, s.dead_letters = st->dead_count;
    }
    s.last_upload_at = m.record.last_upload_at;
    s.last_heartbeat_at = m.record.last_heartbeat_at;
    s.last_error = done ? std::string() : m.record.last_error;
    s.last_error_at = m.record.last_error_at;
    s.clock_offset_s = clock_.offset();
    if (auto cur = m.installer.current()) s.installed_bundle_version = cur->meta.version;
    s.next_attempt_in_s = wait;
    {
        std::lock_guard<std::mutex> lock(mu_);
        s.attempts = status_.attempts + 1;
        s.bundles_installed = m.installs;
        status_ = s;
        must_wait_ = must_wait;
    }
    if (opt_.on_change) opt_.on_change();
    return wait;
}

void SyncWorker::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void SyncWorker::run() {
    while (!stopping_) {
        const double wait = step();
        std::unique_lock<std::mutex> lock(mu_);
        const auto until =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(int64_t(wait * 1000));
        cv_.wait_until(lock, until, [this] { return stopping_ || (woken_ && !must_wait_); });
        woken_ = false;
    }
}

void SyncWorker::stop() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SyncWorker::notify() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        woken_ = true;
    }
    cv_.notify_all();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
}

}  // namespace kiosk::sync
