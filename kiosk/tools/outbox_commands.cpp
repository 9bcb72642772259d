// kioskctl outbox / outbox export: read the outbox's statistics, or copy its sealed items out.
#include "outbox_commands.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli_args.hpp"
#include "submit/outbox.hpp"
#include "util/clock.hpp"
#include "util/file_faults.hpp"

namespace kiosk::tools {

namespace {

constexpr const char* kProgram = "kioskctl";

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string age_text(int64_t seconds) {
    if (seconds < 0) seconds = 0;
    if (seconds < 3600) return std::to_string(seconds / 60) + " min";
    if (seconds < 2 * 86400)
        return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) +
               " min";
    return std::to_string(seconds / 86400) + " days";
}

// KIOSK_FAULT_DISK_FULL_AFTER=BYTES: the export's stick "fills up" after BYTES (as for import).
submit::OutboxSeams seams_from_environment() {
    submit::OutboxSeams seams;
    if (const char* bytes = std::getenv("KIOSK_FAULT_DISK_FULL_AFTER")) {
        seams.open_sink =
            util::failing_after(util::open_posix_sink, std::strtoull(bytes, nullptr, 10));
    }
    return seams;
}

int show(const config::Config& cfg, const std::string& db_path, bool json) {
    submit::OutboxStats st;
    const bool present = exists(db_path);
    // Status must not create the state database (kioskctl may run as another user than the
    // kiosk): without one, the queue is simply empty.
    if (present) {
        auto outbox = submit::Outbox::open(db_path, submit::outbox_limits(cfg));
        if (!outbox) return fail(kProgram, "cannot open the outbox: " + outbox.error().message);
        auto s = outbox->stats();
        if (!s) return fail(kProgram, "cannot read the outbox: " + s.error().message);
        st = *s;
    }
    const int64_t now = util::wall_now();
    const int64_t age = st.depth > 0 ? now - st.oldest_created_at : 0;
    if (json) {
        nlohmann::ordered_json j;
        j["database"] = db_path;
        j["exists"] = present;
        j["depth"] = st.depth;
        j["bytes"] = st.bytes;
        j["oldest_created_at"] = st.depth > 0 ? nlohmann::json(st.oldest_created_at) : nullptr;
        j["oldest_age_s"] = st.depth > 0 ? nlohmann::json(age) : nullptr;
        j["by_kind"] = {{"report", st.by_kind.report},
                        {"rating", st.by_kind.rating},
                        {"consultation", st.by_kind.consultation}};
        j["sent"] = st.sent_count;
        j["dead"] = st.dead_count;
        j["limits"] = {{"max_items", cfg.outbox_max_items},
                       {"max_bytes", cfg.outbox_max_bytes},
                       {"min_free_disk_bytes", cfg.min_free_disk_bytes}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("outbox:      %lld pending of at most %llu (%.1f KiB of %llu MiB)%s\n",
                (long long)st.depth, (unsigned long long)cfg.outbox_max_items,
                double(st.bytes) / 1024, (unsigned long long)(cfg.outbox_max_bytes >> 20),
                present ? "" : "  (no outbox database yet)");
    if (st.depth > 0) {
        std::printf("oldest:      %s old (%s)\n", age_text(age).c_str(),
                    util::format_utc_time(st.oldest_created_at).c_str());
    }
    std::printf("by kind:     %lld reports, %lld ratings, %lld consultations\n",
                (long long)st.by_kind.report, (long long)st.by_kind.rating,
                (long long)st.by_kind.consultation);
    std::printf("sent:        %lld (kept until purged)\n", (long long)st.sent_count);
    std::printf("dead:        %lld (refused by the hub)\n", (long long)st.dead_count);
    std::printf("database:    %s\n", db_path.c_str());
    return 0;
}

int export_to(const config::Config& cfg, const std::string& db_path, const std::string& dir) {
    if (!exists(db_path)) {
        std::printf("the outbox is empty: nothing to export (no outbox database yet)\n");
        return 0;
    }
    auto outbox =
        submit::Outbox::open(db_path, submit::outbox_limits(cfg), seams_from_environment());
    if (!outbox) return fail(kProgram, "cannot open the outbox: " + outbox.error().message);
    auto st = outbox->stats();
    if (!st) return fail(kProgram, "cannot read the outbox: " + st.error().message);
    if (st->depth == 0) {
        std::printf("the outbox is empty: nothing to export\n");
        return 0;
    }
    auto done = outbox->export_to(dir, util::wall_now());
    if (!done) {
        return fail(kProgram, "export failed (" + done.error().code + "): " + done.error().message +
                                  "; nothing was written to " + dir);
    }
    std::printf("exported %zu items (%.1f KiB) to %s\nthey stay queued and are still uploaded "
                "when the network is back; the hub ignores items it already has\n",
                done->items, double(done->bytes) / 1024, done->file.c_str());
    return 0;
}

}  // namespace

int cmd_outbox(const config::Config& cfg, const std::vector<std::string>& args, bool json) {
    const std::string db_path = submit::state_database_path(cfg.state_dir);
    if (args.size() == 1) return show(cfg, db_path, json);
    if (args.size() == 3 && args[1] == "export" && !json) return export_to(cfg, db_path, args[2]);
    return 2;
}

}  // namespace kiosk::tools
