// kioskctl enroll / sync / the sync lines of status.
#include "sync_commands.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "submit/outbox.hpp"
#include "sync/enrollment.hpp"
#include "sync/sync_record.hpp"
#include "sync/sync_worker.hpp"
#include "util/clock.hpp"

namespace kiosk::tools {

namespace {

constexpr const char* kProgram = "kioskctl";

std::string when(int64_t t) {
    return t > 0 ? util::format_utc_time(t) : "never";
}

}  // namespace

int cmd_enroll(const config::Config& cfg, const Args& args) {
    const std::string url = args.get("--hub", cfg.hub_url);
    const std::string ca = args.get("--ca", cfg.hub_ca_file);
    const std::string code = args.get("--code");
    if (url.empty() || ca.empty() || code.empty())
        return fail(kProgram,
                    "enroll needs --code CODE, and --hub URL and --ca FILE unless "
                    "kiosk.toml's [hub] names them",
                    2);
    auto done = sync::enroll(cfg, url, ca, code);
    if (!done)
        return fail(kProgram,
                    "enrolment refused (" + done.error().code + "): " + done.error().message);
    std::printf("enrolled as %s (township %s) with %s; token in %s (mode 0600)\n",
                done->kiosk_id.c_str(), done->township.c_str(), done->hub_url.c_str(),
                sync::enrollment_path(cfg.state_dir).c_str());
    return 0;
}

int cmd_sync(const config::Config& cfg, const store::InstallPolicy& policy, const Args& args) {
    auto options = sync::sync_options(cfg, policy);
    if (args.has("--once")) {
        sync::SyncWorker worker(options);
        worker.step(true);
        auto s = worker.status();
        if (!s.last_error.empty()) return fail(kProgram, "sync failed: " + s.last_error);
        std::printf("sync ok: %lld pending, %lld dead letters, bundle %lld\n",
                    (long long)s.queue_depth, (long long)s.dead_letters,
                    (long long)s.installed_bundle_version);
        return 0;
    }
    if (args.has("--loop")) {
        const long seconds = std::strtol(args.get("--for", "0").c_str(), nullptr, 10);
        if (seconds <= 0) return fail(kProgram, "sync --loop needs --for SECONDS (> 0)", 2);
        sync::SyncWorker worker(options);
        worker.start();
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        worker.stop();
        auto s = worker.status();
        std::printf("sync loop: %llu passes, %lld pending, %lld dead letters, %s%s\n",
                    (unsigned long long)s.attempts, (long long)s.queue_depth,
                    (long long)s.dead_letters, s.online ? "online" : "offline",
                    s.last_error.empty() ? "" : (", last error: " + s.last_error).c_str());
        return s.online ? 0 : 1;
    }
    return 2;
}

nlohmann::ordered_json sync_status_json(const config::Config& cfg) {
    nlohmann::ordered_json j;
    auto e = sync::read_enrollment(cfg.state_dir);
    j["enrolled"] = e.ok();
    if (e) {
        j["kiosk_id"] = e->kiosk_id;
        j["township"] = e->township;
        j["hub_url"] = e->hub_url;
    } else {
        j["hub_url"] = cfg.hub_url;
        if (e.error().code != "not_enrolled") j["enrollment_problem"] = e.error().message;
    }
    auto r = sync::read_sync_record(cfg.state_dir);
    j["online"] = r.online;
    j["last_attempt_at"] = r.last_attempt_at;
    j["last_upload_at"] = r.last_upload_at;
    j["last_heartbeat_at"] = r.last_heartbeat_at;
    j["last_error"] = r.last_error;
    j["last_error_at"] = r.last_error_at;
    j["clock_offset_s"] = r.clock_offset_known ? nlohmann::json(r.clock_offset_s) : nullptr;
    if (!r.refused_bundle_reason.empty())
        j["refused_bundle"] = {{"version", r.refused_bundle_version},
                               {"reason", r.refused_bundle_reason}};
    submit::OutboxLimits limits = submit::outbox_limits(cfg);
    const std::string db = submit::state_database_path(cfg.state_dir);
    auto box = std::filesystem::exists(db) ? submit::Outbox::open(db, limits)
                                           : Result<submit::Outbox>(make_error("none", ""));
    if (box) {
        if (auto st = box->stats()) {
            j["queue"] = st->depth;
            j["dead_letters"] = st->dead_count;
            j["oldest_item_at"] = st->oldest_created_at;
        }
    }
    return j;
}

void print_sync_status(const nlohmann::ordered_json& j) {
    if (j["enrolled"].get<bool>())
        std::printf("hub:         %s as %s (%s)\n", j["hub_url"].get<std::string>().c_str(),
                    j["kiosk_id"].get<std::string>().c_str(),
                    j["township"].get<std::string>().c_str());
    else
        std::printf("hub:         not enrolled%s\n",
                    j.contains("enrollment_problem")
                        ? (" (" + j["enrollment_problem"].get<std::string>() + ")").c_str()
                        : "");
    std::printf("sync:        %s, last upload %s, last heartbeat %s\n",
                j["online"].get<bool>() ? "online" : "offline",
                when(j["last_upload_at"].get<int64_t>()).c_str(),
                when(j["last_heartbeat_at"].get<int64_t>()).c_str());
    if (!j["last_error"].get<std::string>().empty())
        std::printf("last error:  %s (%s)\n", j["last_error"].get<std::string>().c_str(),
                    when(j["last_error_at"].get<int64_t>()).c_str());
    if (j.contains("refused_bundle"))
        std::printf("refused:     bundle %lld: %s\n",
                    (long long)j["refused_bundle"]["version"].get<int64_t>(),
                    j["refused_bundle"]["reason"].get<std::string>().c_str());
    if (j.contains("queue"))
        std::printf("queue:       %lld pending, %lld dead letters\n",
                    (long long)j["queue"].get<int64_t>(),
                    (long long)j["dead_letters"].get<int64_t>());
}

}  // namespace kiosk::tools
