// Installs signed bundles into the state directory, keeps the previous one, and rolls back.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "sign/minisign.hpp"
#include "store/bundle_schema.hpp"
#include "util/file_io.hpp"
#include "util/result.hpp"

namespace kiosk::store {

struct InstallPolicy {
    std::string scope;                          // only bundles of this scope
    std::vector<sign::PublicKey> trusted_keys;  // one or two (key rotation)
    uint64_t max_bytes = 200ull << 20;          // refused before anything is copied
    std::string kiosk_version = KIOSK_VERSION;  // compared with the bundle's min_kiosk_version
};

// The policy a kiosk.toml asks for: its scope, size limit and trusted keys ("config" when a key
// file cannot be read).
Result<InstallPolicy> install_policy(const config::Config& cfg);

// Seams so tests can move the clock, fill the disk, or kill the process between steps.
struct InstallSeams {
    std::function<int64_t()> now;  // Unix seconds; default: util::wall_now (the one clock)
    util::OpenSink open_sink;      // default: util::open_posix_sink
    // Called after each durable step: "staged", "verified", "checked", "moved",
    // "previous_linked", "switched", "pruned".
    std::function<void(const char* step)> checkpoint;
};

struct InstalledBundle {
    std::string path;            // .../bundles/v0000000007/bundle.kbundle
    std::string signature_path;  // path + ".minisig"
    std::string key_id;          // the signing key id from the signature file
    BundleMeta meta;
};

// Layout under <state_dir>/bundles: one folder per version (bundle + signature together), and
// symlinks "current" and "previous" to them. Switching is one atomic rename of a symlink, so a
// killed process leaves the old or the new pair complete, never a mix.
class BundleInstaller {
public:
    BundleInstaller(std::string state_dir, InstallPolicy policy, InstallSeams seams = {});

    // Stage, fsync, verify the staged bytes, check, then switch. Errors name the reason with a
    // stable code (e.g. "bad_signature", "expired", "not_newer"); the current bundle is untouched.
    Result<InstalledBundle> install(const std::string& bundle_path,
                                    const std::string& signature_path);
    // Makes the kept previous bundle current again, only if its signature still verifies.
    Result<InstalledBundle> rollback();

    Result<InstalledBundle> current() const;  // "none" when nothing is installed
    Result<InstalledBundle> previous() const;
    std::string bundles_dir() const { return dir_; }

private:
    Result<InstalledBundle> read_slot(const char* slot) const;
    Status set_link(const char* slot, const std::string& target);
    void prune();
    void checkpoint(const char* step);

    std::string dir_;
    InstallPolicy policy_;
    InstallSeams seams_;
};

}  // namespace kiosk::store
