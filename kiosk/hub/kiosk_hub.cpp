// kiosk-hub: the county's server for the kiosks (serve) and its staff commands.
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "hub/hub_commands.hpp"
#include "hub/hub_server.hpp"
#include "tools/cli_args.hpp"
#include "util/clock.hpp"

using namespace kiosk;
using tools::fail;

namespace {

constexpr const char* kProgram = "kiosk-hub";

const char* const kUsage = R"(usage:
  kiosk-hub serve --config FILE
  kiosk-hub enroll-code --config FILE --township T [--valid-hours H]
  kiosk-hub revoke KIOSK_ID --config FILE
  kiosk-hub fleet --config FILE [--json]
  kiosk-hub publish FILE.kbundle --config FILE [--townships A,B]
  kiosk-hub import DIR|FILE --config FILE
  kiosk-hub list --config FILE [--json] [--status S]
  kiosk-hub show ID --config FILE --secret-key FILE
  kiosk-hub reply ID --config FILE --status received|in_progress|answered|closed --text TEXT
  kiosk-hub --help | --version
)";

}  // namespace

int main(int argc, char** argv) {
    if (sodium_init() < 0) return fail(kProgram, "libsodium cannot start");
    if (argc == 2 && std::string(argv[1]) == "--help") {
        std::printf("%s", kUsage);
        return 0;
    }
    if (argc == 2 && std::string(argv[1]) == "--version") {
        std::printf("kiosk-hub %s\n", KIOSK_VERSION);
        return 0;
    }
    auto args = tools::parse_args(argc, argv, 1,
                                  {"--config", "--township", "--valid-hours", "--townships",
                                   "--status", "--secret-key", "--text"},
                                  {"--json", "--help"});
    if (!args) return fail(kProgram, args.error().message + "\n" + kUsage, 2);
    if (args->has("--help")) {
        std::printf("%s", kUsage);
        return 0;
    }
    if (args->positional.empty() || args->get("--config").empty()) return fail(kProgram, kUsage, 2);
    auto pinned = util::pin_wall_clock_from_environment();
    if (!pinned) return fail(kProgram, pinned.error().message, 2);
    if (!pinned->empty()) std::fprintf(stderr, "%s: %s\n", kProgram, pinned->c_str());
    auto cfg = hub::load_hub_config(args->get("--config"));
    if (!cfg) return fail(kProgram, cfg.error().message);
    const std::string cmd = args->positional[0];
    const size_t n = args->positional.size();
    if (cmd == "serve" && n == 1) return hub::serve(*cfg);
    if (cmd == "enroll-code" && n == 1 && !args->get("--township").empty())
        return hub::cmd_enroll_code(*cfg, args->get("--township"),
                                    args->get("--valid-hours", "72"));
    if (cmd == "revoke" && n == 2) return hub::cmd_revoke(*cfg, args->positional[1]);
    if (cmd == "fleet" && n == 1) return hub::cmd_fleet(*cfg, args->has("--json"));
    if (cmd == "publish" && n == 2)
        return hub::cmd_publish(*cfg, args->positional[1], args->get("--townships"));
    if (cmd == "import" && n == 2) return hub::cmd_import(*cfg, args->positional[1]);
    if (cmd == "list" && n == 1)
        return hub::cmd_list(*cfg, args->has("--json"), args->get("--status"));
    if (cmd == "show" && n == 2 && !args->get("--secret-key").empty())
        return hub::cmd_show(*cfg, args->positional[1], args->get("--secret-key"));
    if (cmd == "reply" && n == 2 && !args->get("--status").empty())
        return hub::cmd_reply(*cfg, args->positional[1], args->get("--status"),
                              args->get("--text"));
    return fail(kProgram, kUsage, 2);
}
