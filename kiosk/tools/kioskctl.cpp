// kioskctl: the technician's tool on a terminal: import a bundle, show status, roll back.
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "cli_args.hpp"
#include "config/config.hpp"
#include "outbox_commands.hpp"
#include "sign/minisign.hpp"
#include "store/bundle_installer.hpp"
#include "sync_commands.hpp"
#include "util/clock.hpp"
#include "util/file_faults.hpp"
#include "util/file_io.hpp"

using namespace kiosk;
using tools::fail;

namespace {

constexpr const char* kProgram = "kioskctl";

const char* const kUsage = R"(usage:
  kioskctl --config FILE import BUNDLE [--sig BUNDLE.minisig]
  kioskctl --config FILE status [--json]
  kioskctl --config FILE rollback
  kioskctl --config FILE outbox [--json]
  kioskctl --config FILE outbox export DIR
  kioskctl --config FILE enroll [--hub URL] [--ca FILE] --code CODE
  kioskctl --config FILE sync --once | --loop --for SECONDS
)";

Result<store::InstallPolicy> policy_from(const config::Config& cfg) {
    store::InstallPolicy policy;
    policy.scope = cfg.scope;
    policy.max_bytes = cfg.max_bundle_bytes;
    for (const auto& file : cfg.trusted_key_files) {
        auto key = sign::read_public_key_file(file);
        if (!key) {
            return make_error("config",
                              cfg.file + ": trusted key " + file + ": " + key.error().message);
        }
        policy.trusted_keys.push_back(*key);
    }
    return policy;
}

// Fault seams for tests, read from the environment:
//   KIOSK_FAULT_KILL_AT=STEP            SIGKILL this process right after install step STEP
//   KIOSK_FAULT_DISK_FULL_AFTER=BYTES   the disk "fills up" after BYTES written while staging
store::InstallSeams seams_from_environment() {
    store::InstallSeams seams;
    if (const char* step = std::getenv("KIOSK_FAULT_KILL_AT")) {
        std::string target = step;
        seams.checkpoint = [target](const char* at) {
            if (target == at) std::raise(SIGKILL);
        };
    }
    if (const char* bytes = std::getenv("KIOSK_FAULT_DISK_FULL_AFTER")) {
        seams.open_sink =
            util::failing_after(util::open_posix_sink, std::strtoull(bytes, nullptr, 10));
    }
    return seams;
}

nlohmann::ordered_json bundle_json(const store::InstalledBundle& b, int64_t now) {
    return {{"version", b.meta.version},
            {"title", b.meta.title},
            {"scope", b.meta.scope},
            {"created", b.meta.created},
            {"expires", b.meta.expires},
            {"expired", b.meta.expires_unix <= now},
            {"signing_key_id", b.key_id},
            {"documents", b.meta.document_count},
            {"path", b.path}};
}

int cmd_status(const config::Config& cfg, store::BundleInstaller& installer, bool json) {
    const int64_t now = util::wall_now();
    auto cur = installer.current();
    auto prev = installer.previous();
    auto free_bytes = util::free_disk_bytes(cfg.state_dir);
    nlohmann::ordered_json j;
    j["state_dir"] = cfg.state_dir;
    j["free_disk_bytes"] = free_bytes ? nlohmann::json(*free_bytes) : nlohmann::json(nullptr);
    j["kiosk_version"] = KIOSK_VERSION;
    if (cur)
        j["bundle"] = bundle_json(*cur, now);
    else
        j["bundle"] = nullptr, j["bundle_problem"] = cur.error().message;
    j["previous"] = prev ? bundle_json(*prev, now) : nlohmann::ordered_json(nullptr);
    j["sync"] = tools::sync_status_json(cfg);
    if (json) {
        std::printf("%s\n", j.dump(2).c_str());
        return cur ? 0 : 3;
    }
    if (cur) {
        std::printf("bundle:      %s\nversion:     %lld\ncreated:     %s\nexpires:     %s%s\n"
                    "signing key: %s\ndocuments:   %lld\n",
                    cur->meta.title.c_str(), (long long)cur->meta.version,
                    cur->meta.created.c_str(), cur->meta.expires.c_str(),
                    cur->meta.expires_unix <= now ? "  (EXPIRED)" : "", cur->key_id.c_str(),
                    (long long)cur->meta.document_count);
    } else {
        std::printf("bundle:      none (%s)\n", cur.error().message.c_str());
    }
    std::printf("previous:    %s\n",
                prev ? ("version " + std::to_string(prev->meta.version)).c_str() : "none");
    std::printf("state dir:   %s\n", cfg.state_dir.c_str());
    if (free_bytes) std::printf("free disk:   %.1f MiB\n", double(*free_bytes) / (1 << 20));
    tools::print_sync_status(j["sync"]);
    return cur ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
    auto args =
        tools::parse_args(argc, argv, 1, {"--config", "--sig", "--hub", "--ca", "--code", "--for"},
                          {"--json", "--once", "--loop"});
    if (!args) return fail(kProgram, args.error().message + "\n" + kUsage, 2);
    auto pinned = util::pin_wall_clock_from_environment();
    if (!pinned) return fail(kProgram, pinned.error().message, 2);
    if (!pinned->empty()) std::fprintf(stderr, "%s: %s\n", kProgram, pinned->c_str());
    if (args->get("--config").empty() || args->positional.empty()) return fail(kProgram, kUsage, 2);
    auto cfg = config::load_config(args->get("--config"));
    if (!cfg) return fail(kProgram, cfg.error().message);
    auto policy = policy_from(*cfg);
    if (!policy) return fail(kProgram, policy.error().message);
    store::BundleInstaller installer(cfg->state_dir, *policy, seams_from_environment());

    const std::string cmd = args->positional[0];
    if (cmd == "status" && args->positional.size() == 1) {
        return cmd_status(*cfg, installer, args->has("--json"));
    }
    if (cmd == "import" && args->positional.size() == 2) {
        const std::string bundle = args->positional[1];
        auto done = installer.install(bundle, args->get("--sig", bundle + ".minisig"));
        if (!done)
            return fail(kProgram,
                        "bundle refused (" + done.error().code + "): " + done.error().message);
        std::printf("installed bundle version %lld: %s (%lld documents, expires %s)\n",
                    (long long)done->meta.version, done->meta.title.c_str(),
                    (long long)done->meta.document_count, done->meta.expires.c_str());
        return 0;
    }
    if (cmd == "enroll" && args->positional.size() == 1) return tools::cmd_enroll(*cfg, *args);
    if (cmd == "sync" && args->positional.size() == 1) {
        int rc = tools::cmd_sync(*cfg, *policy, *args);
        return rc == 2 ? fail(kProgram, kUsage, 2) : rc;
    }
    if (cmd == "outbox") {
        int rc = tools::cmd_outbox(*cfg, args->positional, args->has("--json"));
        return rc == 2 ? fail(kProgram, kUsage, 2) : rc;
    }
    if (cmd == "rollback" && args->positional.size() == 1) {
        auto done = installer.rollback();
        if (!done)
            return fail(kProgram,
                        "rollback refused (" + done.error().code + "): " + done.error().message);
        std::printf("rolled back to bundle version %lld: %s\n", (long long)done->meta.version,
                    done->meta.title.c_str());
        return 0;
    }
    return fail(kProgram, kUsage, 2);
}
