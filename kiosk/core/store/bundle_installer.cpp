// Bundle installation: stage → verify → check → move → switch the "current" symlink atomically.
#include "store/bundle_installer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace fs = std::filesystem;

namespace kiosk::store {

namespace {

constexpr uint64_t kMaxSignatureBytes = 64 * 1024;

std::string version_dir_name(int64_t version) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "v%010lld", static_cast<long long>(version));
    return buf;
}

// Holds an exclusive lock on <bundles>/.lock so that the sync worker and kioskctl never install
// at the same time.
class DirLock {
public:
    explicit DirLock(const std::string& dir)
        : fd_(::open((dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {}
    ~DirLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    bool acquire() { return fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0; }

private:
    int fd_;
};

Error prefixed(const Error& e, const std::string& prefix) {
    return make_error(e.code, prefix + e.message);
}

}  // namespace

Result<InstallPolicy> install_policy(const config::Config& cfg) {
    InstallPolicy policy;
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

BundleInstaller::BundleInstaller(std::string state_dir, InstallPolicy policy, InstallSeams seams)
    : dir_(state_dir + "/bundles"), policy_(std::move(policy)), seams_(std::move(seams)) {
    if (!seams_.now) seams_.now = util::wall_now;
    if (!seams_.open_sink) seams_.open_sink = util::open_posix_sink;
}

void BundleInstaller::checkpoint(const char* step) {
    if (seams_.checkpoint) seams_.checkpoint(step);
}

Status BundleInstaller::set_link(const char* slot, const std::string& target) {
    std::string link = dir_ + "/" + slot;
    std::string tmp = link + ".new";
    ::unlink(tmp.c_str());
    if (::symlink(target.c_str(), tmp.c_str()) != 0) {
        return make_error("io", "cannot create " + tmp + ": " + util::describe_errno(errno));
    }
    if (::rename(tmp.c_str(), link.c_str()) != 0) {
        return make_error("io", "cannot replace " + link + ": " + util::describe_errno(errno));
    }
    return util::sync_directory(dir_);
}

Result<InstalledBundle> BundleInstaller::read_slot(const char* slot) const {
    std::error_code ec;
    fs::path link = fs::path(dir_) / slot;
    fs::path target = fs::read_symlink(link, ec);
    if (ec) {
        return make_error("none", std::string("no ") + slot + " bundle is installed");
    }
    InstalledBundle b;
    b.path = (fs::path(dir_) / target / "bundle.kbundle").string();
    b.signature_path = b.path + ".minisig";
    auto db = open_bundle(b.path);
    if (!db) return prefixed(db.error(), std::string("the ") + slot + " bundle cannot be opened: ");
    auto meta = read_bundle_meta(*db);
    if (!meta) return prefixed(meta.error(), std::string("the ") + slot + " bundle: ");
    b.meta = std::move(*meta);
    if (auto sig = sign::read_signature_file(b.signature_path)) {
        sign::PublicKey id_only;
        id_only.key_id = sig->key_id;
        b.key_id = id_only.key_id_hex();
    }
    return b;
}

Result<InstalledBundle> BundleInstaller::current() const {
    return read_slot("current");
}
Result<InstalledBundle> BundleInstaller::previous() const {
    return read_slot("previous");
}

Result<InstalledBundle> BundleInstaller::install(const std::string& bundle_path,
                                                 const std::string& signature_path) {
    // Cheap refusals first: nothing is written for a file that is missing, unsigned or too big.
    auto size = util::file_size(bundle_path);
    if (!size) return prefixed(size.error(), "cannot read the bundle: ");
    if (*size > policy_.max_bytes) {
        return make_error("too_large", "the bundle is " + std::to_string(*size >> 20) +
                                           " MiB, above this kiosk's limit of " +
                                           std::to_string(policy_.max_bytes >> 20) + " MiB");
    }
    if (::access(signature_path.c_str(), R_OK) != 0) {
        return make_error("no_signature", "no signature file " + signature_path +
                                              " beside the bundle; an unsigned bundle is never "
                                              "installed");
    }
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return make_error("io", "cannot create " + dir_ + ": " + ec.message());
    DirLock lock(dir_);
    if (!lock.acquire()) return make_error("busy", "another installation is running");

    const std::string staging = dir_ + "/.staging";
    fs::remove_all(staging, ec);  // a killed earlier attempt's leftovers
    if (!fs::create_directory(staging, ec)) {
        return make_error("io", "cannot create " + staging + ": " + ec.message());
    }
    const std::string staged = staging + "/bundle.kbundle";
    const std::string staged_sig = staged + ".minisig";
    // Errors name the files the technician gave, not our staging copies of them.
    auto fail = [&](Error e) -> Error {
        std::error_code ignore;
        fs::remove_all(staging, ignore);
        for (const auto& [ours, theirs] :
             {std::pair{staged_sig, signature_path}, std::pair{staged, bundle_path}}) {
            for (size_t at = 0; (at = e.message.find(ours, at)) != std::string::npos;
                 at += theirs.size())
                e.message.replace(at, ours.size(), theirs);
        }
        return e;
    };

    auto disk_full = [&](const Status& st) {
        if (st.error().code != "disk_full") return fail(st.error());
        return fail(make_error("disk_full", "the disk filled up while copying the bundle; "
                                            "nothing was changed (" +
                                                st.error().message + ")"));
    };
    // The signature first (it is small), so we know whether the bundle can be hashed as it is
    // copied: the hash is then of exactly the bytes written to the staged file.
    {
        auto sink = seams_.open_sink(staged_sig);
        if (!sink) return fail(sink.error());
        if (Status st = util::copy_into(signature_path, **sink, kMaxSignatureBytes); !st) {
            return disk_full(st);
        }
    }
    auto sig = sign::read_signature_file(staged_sig);
    if (!sig) return fail(prefixed(sig.error(), "the signature file is damaged: "));
    sign::Prehasher hasher;
    {
        auto sink = seams_.open_sink(staged);
        if (!sink) return fail(sink.error());
        util::ChunkObserver hash_chunk;
        if (sig->prehashed) hash_chunk = [&](const char* d, size_t n) { hasher.update(d, n); };
        if (Status st = util::copy_into(bundle_path, **sink, policy_.max_bytes, hash_chunk); !st) {
            return disk_full(st);
        }
    }
    if (Status st = util::sync_directory(staging); !st) return fail(st.error());
    checkpoint("staged");

    // The signature is checked before SQLite parses anything from the file. A legacy signature
    // signs the whole file, which is then read back from the staged copy.
    auto key = sig->prehashed
                   ? sign::verify_prehash(hasher.finish(), *sig, policy_.trusted_keys, staged)
                   : sign::verify_file(staged, *sig, policy_.trusted_keys);
    if (!key) return fail(key.error());
    checkpoint("verified");

    if (Status st = check_bundle_header(staged); !st) return fail(st.error());
    BundleMeta meta;
    {
        auto db = open_bundle(staged);
        if (!db) return fail(make_error("corrupt", db.error().message));
        if (Status st = quick_check(*db); !st) return fail(st.error());
        auto m = read_bundle_meta(*db);
        if (!m) return fail(m.error());
        meta = std::move(*m);
    }
    if (meta.scope != policy_.scope) {
        return fail(make_error("scope", "the bundle is for '" + meta.scope +
                                            "', this kiosk serves '" + policy_.scope + "'"));
    }
    if (compare_versions(meta.min_kiosk_version, policy_.kiosk_version) > 0) {
        return fail(make_error("kiosk_too_old", "the bundle needs kiosk " + meta.min_kiosk_version +
                                                    " or newer; this is " + policy_.kiosk_version));
    }
    if (meta.expires_unix <= seams_.now()) {
        return fail(make_error("expired", "the bundle expired on " + meta.expires));
    }
    auto cur = current();
    if (cur && meta.version <= cur->meta.version) {
        return fail(make_error("not_newer", "the bundle's version " + std::to_string(meta.version) +
                                                " is not above the installed version " +
                                                std::to_string(cur->meta.version)));
    }
    checkpoint("checked");

    const std::string name = version_dir_name(meta.version);
    fs::remove_all(fs::path(dir_) / name, ec);  // never current: its version is above current's
    if (::rename(staging.c_str(), (dir_ + "/" + name).c_str()) != 0) {
        return fail(
            make_error("io", "cannot move the staged bundle: " + util::describe_errno(errno)));
    }
    if (Status st = util::sync_directory(dir_); !st) return st.error();
    checkpoint("moved");

    // Even an unreadable current bundle is kept as previous: a technician may want to look at it.
    fs::path old_target = fs::read_symlink(fs::path(dir_) / "current", ec);
    if (!ec) KIOSK_TRY(set_link("previous", old_target.string()));
    checkpoint("previous_linked");
    KIOSK_TRY(set_link("current", name));
    checkpoint("switched");
    prune();
    checkpoint("pruned");
    return current();
}

Result<InstalledBundle> BundleInstaller::rollback() {
    std::error_code ec;
    DirLock lock(dir_);
    if (!lock.acquire()) return make_error("busy", "another installation is running");
    auto prev = previous();
    if (!prev) return make_error("no_previous", "there is no previous bundle to roll back to");
    auto sig = sign::read_signature_file(prev->signature_path);
    if (!sig) return prefixed(sig.error(), "the previous bundle's signature is damaged: ");
    auto key = sign::verify_file(prev->path, *sig, policy_.trusted_keys);
    if (!key) {
        return prefixed(key.error(), "the previous bundle no longer verifies, so it is not used: ");
    }
    {
        auto db = open_bundle(prev->path);
        if (!db) return db.error();
        KIOSK_TRY(quick_check(*db));
    }
    fs::path target = fs::read_symlink(fs::path(dir_) / "previous", ec);
    if (ec) return make_error("io", "cannot read the previous link: " + ec.message());
    KIOSK_TRY(set_link("current", target.string()));
    ::unlink((dir_ + "/previous").c_str());
    KIOSK_TRY(util::sync_directory(dir_));
    prune();
    return current();
}

// Removes version folders that neither link points at, and any staging leftovers.
void BundleInstaller::prune() {
    std::error_code ec;
    fs::path cur = fs::read_symlink(fs::path(dir_) / "current", ec);
    fs::path prev = fs::read_symlink(fs::path(dir_) / "previous", ec);
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        std::string n = entry.path().filename().string();
        bool is_version = n.size() == 11 && n[0] == 'v';
        if ((is_version && n != cur.string() && n != prev.string()) || n == ".staging") {
            std::error_code ignore;
            fs::remove_all(entry.path(), ignore);
        }
    }
}

}  // namespace kiosk::store
