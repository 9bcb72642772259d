// The sync worker's passes against a hub stand-in on 127.0.0.1 (real HTTPS, real outbox file,
// real installer): outcomes per item, splitting a blamed batch, backoff, 401, the heartbeat after
// an outage, bundles installed or refused once, and the thread's wake-ups.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <vector>

#include "submit/outbox.hpp"
#include "submit/submitter.hpp"
#include "sync/enrollment.hpp"
#include "sync/protocol.hpp"
#include "sync/sync_worker.hpp"
#include "test_sync_support.hpp"

using namespace kiosk;
using namespace kiosk::testing;

namespace {

// A hub stand-in: answers heartbeats and uploads as told, records what it was asked.
struct Hub {
    TempDir dir;
    TestPki pki{dir.path()};
    TestServer server{pki};
    std::mutex mu;
    std::vector<std::string> calls;   // "heartbeat", "submissions:N", "GET path"
    std::set<std::string> stored;     // ids it has
    std::set<std::string> reject;     // ids answered "rejected"
    std::set<std::string> poison;     // a batch holding one of these gets 400 as a whole
    std::atomic<int> fail_status{0};  // answer every request with this, when not 0
    std::string retry_after;
    std::optional<sync::BundleOffer> offer;
    std::string bundle_bytes, sig_bytes;
    std::vector<std::string> heartbeat_errors;

    Hub() {
        auto& h = server.http();
        h.Post("/api/v1/heartbeat", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard<std::mutex> lock(mu);
            calls.push_back("heartbeat");
            if (failing(res)) return;
            auto hb = sync::decode_heartbeat(req.body);
            REQUIRE(hb.ok());
            heartbeat_errors.push_back(hb->last_error);
            sync::HeartbeatAnswer a;
            a.server_time = 1795000000;
            a.bundle = offer;
            res.set_content(sync::encode(a), "application/json");
        });
        h.Post("/api/v1/submissions", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard<std::mutex> lock(mu);
            auto batch = sync::decode_submission_batch(req.body);
            REQUIRE(batch.ok());
            calls.push_back("submissions:" + std::to_string(batch->items.size()));
            if (failing(res)) return;
            for (const auto& it : batch->items)
                if (poison.count(it.id)) {
                    res.status = 400;
                    res.set_content(sync::encode(sync::ErrorBody{"malformed", "bad item"}),
                                    "application/json");
                    return;
                }
            sync::SubmissionResults out;
            out.server_time = 1795000000;
            for (const auto& it : batch->items) {
                sync::ItemResult r{it.id, sync::ItemOutcome::stored, ""};
                if (reject.count(it.id))
                    r.outcome = sync::ItemOutcome::rejected, r.reason = "unknown_category";
                else if (!stored.insert(it.id).second)
                    r.outcome = sync::ItemOutcome::duplicate;
                out.results.push_back(r);
            }
            res.set_content(sync::encode(out), "application/json");
        });
        h.Get(R"(/api/v1/bundles/(.*))", [this](const httplib::Request& req,
                                                httplib::Response& res) {
            std::lock_guard<std::mutex> lock(mu);
            calls.push_back("GET " + req.path);
            if (failing(res)) return;
            bool sig = req.path.size() > 8 && req.path.substr(req.path.size() - 8) == ".minisig";
            res.set_content(sig ? sig_bytes : bundle_bytes, "application/octet-stream");
        });
    }
    bool failing(httplib::Response& res) {
        if (!fail_status) return false;
        res.status = fail_status;
        if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
        res.set_content(sync::encode(sync::ErrorBody{"failing", "told to fail"}),
                        "application/json");
        return true;
    }
    size_t count(const std::string& prefix) {
        std::lock_guard<std::mutex> lock(mu);
        size_t n = 0;
        for (const auto& c : calls)
            n += c.rfind(prefix, 0) == 0;
        return n;
    }
    std::vector<std::string> take_calls() {
        std::lock_guard<std::mutex> lock(mu);
        return std::exchange(calls, {});
    }
};

// A terminal enrolled with the hub, with a trusted key pair for bundles.
struct Terminal {
    Hub& hub;
    std::string state = hub.dir / "state";
    config::Config cfg;
    std::vector<std::string> log;
    std::mutex log_mu;

    explicit Terminal(Hub& h) : hub(h) {
        cfg.state_dir = state;
        cfg.scope = "test-county";
        cfg.hub_connect_timeout_s = 5;
        cfg.hub_timeout_s = 20;
        cfg.hub_upload_batch = 100;
        make_keys(hub.dir.path(), "county");
        REQUIRE(
            sync::write_enrollment(state, {"k-1", "chengguan", "tok", hub.server.url(), 1}).ok());
        std::filesystem::copy_file(hub.pki.ca_crt, sync::enrolled_ca_path(state));
    }
    sync::SyncOptions options() {
        store::InstallPolicy p;
        p.scope = "test-county";
        p.kiosk_version = "0.1.0";
        auto k = sign::read_public_key_file(hub.dir / "county.pub");
        REQUIRE(k.ok());
        p.trusted_keys.push_back(*k);
        auto o = sync::sync_options(cfg, p);
        o.seed = 99;
        o.log = [this](const std::string& l) {
            std::lock_guard<std::mutex> lock(log_mu);
            log.push_back(l);
        };
        return o;
    }
    std::vector<std::string> queue(int n) {
        submit::OutboxLimits limits;
        limits.min_free_disk_bytes = 0;
        auto box = submit::Outbox::open(submit::state_database_path(state), limits);
        REQUIRE(box.ok());
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i) {
            submit::Submission s;
            s.id = submit::new_uuid_v4();
            s.kind = submit::Kind::report;
            s.created_at = 1795000000 + i;
            s.meta_json = R"({"kind":"report","category":"illegal-fees"})";
            s.sealed = std::string(100, char('A' + i % 26));
            s.lookup_key = std::string(64, 'a');
            REQUIRE(box->enqueue(s).ok());
            ids.push_back(s.id);
        }
        return ids;
    }
};

}  // namespace

TEST_CASE(
    "sync worker: stored and duplicate items leave the queue, rejected ones are dead letters") {
    Hub hub;
    Terminal t(hub);
    auto ids = t.queue(5);
    hub.stored.insert(ids[1]);  // the hub has it already (an earlier upload whose answer was lost)
    hub.reject.insert(ids[2]);
    sync::SyncWorker w(t.options());
    w.step(true);
    auto s = w.status();
    CHECK(s.last_error == "");
    CHECK(s.online);
    CHECK(s.queue_depth == 0);
    CHECK(s.dead_letters == 1);
    CHECK(s.last_upload_at > 0);
    CHECK(hub.stored.size() == 4);
    CHECK(hub.take_calls() == std::vector<std::string>{"heartbeat", "submissions:5"});
    w.step();  // nothing pending: no upload, no heartbeat before its interval
    CHECK(hub.take_calls().empty());
}

TEST_CASE("sync worker: a batch the hub refuses as malformed is split until the bad item alone is "
          "dead-lettered") {
    Hub hub;
    Terminal t(hub);
    auto ids = t.queue(8);
    hub.poison.insert(ids[5]);
    sync::SyncWorker w(t.options());
    w.step(true);
    auto s = w.status();
    CHECK(s.last_error == "");
    CHECK(s.queue_depth == 0);
    CHECK(s.dead_letters == 1);
    CHECK(hub.stored.size() == 7);
    CHECK(hub.stored.count(ids[5]) == 0);
    MESSAGE("requests: " << hub.count("submissions"));
    CHECK(hub.count("submissions") <= 1 + 2 * 3);  // log2(8) levels of halving
}

TEST_CASE("sync worker: 5xx and network errors keep the items and back off, Retry-After honoured") {
    Hub hub;
    Terminal t(hub);
    t.queue(3);
    auto opt = t.options();
    opt.backoff.base_s = 2, opt.backoff.cap_s = 60;
    sync::SyncWorker w(opt);
    hub.fail_status = 500;
    double last = 0;
    for (int i = 0; i < 6; ++i) {
        double wait = w.step();
        CHECK(wait >= 0.5);  // never a busy loop
        CHECK(wait <= 60);
        last = wait;
    }
    (void)last;
    auto s = w.status();
    CHECK_FALSE(s.online);
    CHECK(s.queue_depth == 3);
    CHECK(s.last_error.find("HTTP 500") != std::string::npos);
    CHECK(hub.count("heartbeat") == 6);  // after a failure each pass opens with one heartbeat
    CHECK(hub.count("submissions") == 0);

    hub.fail_status = 503;
    hub.retry_after = "120";
    CHECK(w.step() >= 120);
    hub.fail_status = 429;
    hub.retry_after = "5000";
    CHECK(w.step() == 3600);  // capped at an hour
}

TEST_CASE("sync worker: a 401 stops the hammering and says to re-enrol") {
    Hub hub;
    Terminal t(hub);
    t.queue(2);
    sync::SyncWorker w(t.options());
    hub.fail_status = 401;
    double wait = w.step();
    CHECK(wait >= 1800);
    auto s = w.status();
    CHECK(s.unauthorized);
    CHECK(s.last_error.find("re-enrol") != std::string::npos);
    CHECK(s.queue_depth == 2);
    CHECK(s.dead_letters == 0);
    auto record = sync::read_sync_record(t.state);
    CHECK(record.last_error.find("revoked") != std::string::npos);
}

TEST_CASE("sync worker: after an outage the first request is a heartbeat, reporting the error") {
    Hub hub;
    Terminal t(hub);
    sync::SyncWorker w(t.options());
    w.step(true);
    hub.take_calls();
    hub.fail_status = 503;
    t.queue(2);
    w.step();  // the upload fails
    CHECK(hub.take_calls() == std::vector<std::string>{"submissions:2"});
    hub.fail_status = 0;
    w.step();
    CHECK(hub.take_calls() == std::vector<std::string>{"heartbeat", "submissions:2"});
    REQUIRE(hub.heartbeat_errors.size() == 2);
    CHECK(hub.heartbeat_errors[1].find("HTTP 503") != std::string::npos);
    CHECK(w.status().online);
    CHECK(w.status().clock_offset_s.has_value());
}

TEST_CASE("sync worker: an offered bundle is downloaded and installed; a tampered one is refused "
          "once and reported") {
    Hub hub;
    Terminal t(hub);
    write_minimal_source(hub.dir / "src");
    auto source = load_ok(hub.dir / "src");
    const std::string b6 = hub.dir / "v6.kbundle";
    build_ok(source, b6, 6);
    sign_ok(b6, hub.dir / "county.key");
    auto bytes = read_text(b6);
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(sum, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    auto hex = [](const unsigned char* d) {
        std::string s;
        for (int i = 0; i < 32; ++i)
            s += "0123456789abcdef"[d[i] >> 4], s += "0123456789abcdef"[d[i] & 15];
        return s;
    };
    hub.bundle_bytes = bytes;
    hub.sig_bytes = read_text(b6 + ".minisig");
    hub.offer =
        sync::BundleOffer{6, "/api/v1/bundles/6.kbundle", "/api/v1/bundles/6.kbundle.minisig",
                          int64_t(bytes.size()), hex(sum)};
    auto opt = t.options();
    std::atomic<int> changes{0};
    opt.on_change = [&] { ++changes; };
    sync::SyncWorker w(opt);
    w.step(true);
    auto s = w.status();
    CHECK(s.last_error == "");
    CHECK(s.installed_bundle_version == 6);
    CHECK(s.bundles_installed == 1);
    CHECK(changes == 1);
    CHECK(std::filesystem::is_empty(t.state + "/staging"));

    // Version 7 whose bytes were changed after signing: the installer refuses it.
    const std::string b7 = hub.dir / "v7.kbundle";
    build_ok(source, b7, 7);
    sign_ok(b7, hub.dir / "county.key");
    std::string tampered = read_text(b7);
    tampered[tampered.size() / 2] ^= 1;
    crypto_hash_sha256(sum, reinterpret_cast<const unsigned char*>(tampered.data()),
                       tampered.size());
    hub.bundle_bytes = tampered;
    hub.sig_bytes = read_text(b7 + ".minisig");
    hub.offer =
        sync::BundleOffer{7, "/api/v1/bundles/7.kbundle", "/api/v1/bundles/7.kbundle.minisig",
                          int64_t(tampered.size()), hex(sum)};
    w.step(true);
    CHECK(w.status().installed_bundle_version == 6);
    CHECK(hub.count("GET /api/v1/bundles/7.kbundle") == 2);  // the bundle and its signature
    w.step(true);
    w.step(true);
    CHECK(hub.count("GET /api/v1/bundles/7.kbundle") == 2);  // not fetched again
    REQUIRE(hub.heartbeat_errors.size() == 4);
    MESSAGE(hub.heartbeat_errors[2]);
    CHECK(hub.heartbeat_errors[2].find("bundle 7 refused") != std::string::npos);
    CHECK(hub.heartbeat_errors[3].find("bundle 7 refused") != std::string::npos);
    CHECK(w.status().bundles_installed == 1);
}

TEST_CASE("sync worker thread: no busy loop against a failing hub, stop() is prompt") {
    Hub hub;
    Terminal t(hub);
    t.queue(1);
    auto opt = t.options();
    opt.backoff.base_s = 0.5, opt.backoff.cap_s = 1, opt.backoff.floor_s = 0.5;
    hub.fail_status = 503;
    sync::SyncWorker w(opt);
    w.start();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    w.stop();
    const size_t attempts = hub.count("heartbeat") + hub.count("submissions");
    MESSAGE("attempts in 3 s: " << attempts);
    CHECK(attempts >= 2);
    CHECK(attempts <= 7);  // at least 0.5 s between attempts
}

TEST_CASE("sync worker thread: notify() uploads a new submission at once") {
    Hub hub;
    Terminal t(hub);
    sync::SyncWorker w(t.options());  // heartbeat every 300 s: only notify() can wake it sooner
    w.start();
    for (int i = 0; i < 500 && w.status().attempts == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(w.status().attempts == 1);
    auto ids = t.queue(1);
    w.notify();
    for (int i = 0; i < 500 && (w.status().attempts < 2 || w.status().queue_depth != 0); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    w.stop();
    CHECK(hub.count("submissions:1") == 1);
    CHECK(w.status().queue_depth == 0);
}
