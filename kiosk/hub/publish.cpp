// Publishing a bundle: verify the copy, not the original, so what is served is what was checked.
#include "hub/publish.hpp"

#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "sign/minisign.hpp"
#include "store/bundle_schema.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace kiosk::hub {

namespace fs = std::filesystem;

Result<std::string> file_sha256(const std::string& path) {
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    KIOSK_TRY(util::read_chunks(path, UINT64_MAX, [&](const char* d, size_t n) -> Status {
        crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(d), n);
        return {};
    }));
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex);
}

Result<PublishedBundle> publish_bundle(const HubConfig& cfg, HubStore& store,
                                       const std::string& file,
                                       const std::vector<std::string>& townships) {
    if (sodium_init() < 0) return make_error("crypto", "libsodium cannot start");
    std::vector<sign::PublicKey> keys;
    for (const auto& k : cfg.trusted_key_files) {
        auto key = sign::read_public_key_file(k);
        if (!key)
            return make_error("config",
                              cfg.file + ": trusted key " + k + ": " + key.error().message);
        keys.push_back(*key);
    }
    std::error_code ec;
    fs::create_directories(cfg.publish_dir, ec);
    if (ec) return make_error("io", "cannot create " + cfg.publish_dir + ": " + ec.message());

    const std::string tmp = cfg.publish_dir + "/.incoming-" + std::to_string(::getpid());
    const std::string tmp_sig = tmp + ".minisig";
    auto cleanup = [&] {
        ::unlink(tmp.c_str());
        ::unlink(tmp_sig.c_str());
    };
    auto fail = [&](Error e) -> Error {
        cleanup();
        return e;
    };
    auto copy = [&](const std::string& src, const std::string& dst, uint64_t max) -> Status {
        auto sink = util::open_posix_sink(dst);
        if (!sink) return sink.error();
        return util::copy_into(src, **sink, max);
    };
    if (Status st = copy(file + ".minisig", tmp_sig, 64 * 1024); !st)
        return fail(make_error(st.error().code == "too_large" ? "too_large" : "no_signature",
                               "cannot read " + file + ".minisig: " + st.error().message));
    if (Status st = copy(file, tmp, cfg.max_bundle_bytes); !st) return fail(st.error());

    auto sig = sign::read_signature_file(tmp_sig);
    if (!sig) return fail(sig.error());
    auto key = sign::verify_file(tmp, *sig, keys);
    if (!key) return fail(key.error());
    if (Status st = store::check_bundle_header(tmp); !st) return fail(st.error());
    store::BundleMeta meta;
    {
        auto db = store::open_bundle(tmp);
        if (!db) return fail(make_error("corrupt", db.error().message));
        if (Status st = store::quick_check(*db); !st) return fail(st.error());
        auto m = store::read_bundle_meta(*db);
        if (!m) return fail(m.error());
        meta = std::move(*m);
    }
    if (meta.scope != cfg.scope)
        return fail(make_error("scope", "the bundle is for '" + meta.scope +
                                            "', this hub serves '" + cfg.scope + "'"));
    const int64_t now = util::wall_now();
    if (meta.expires_unix <= now)
        return fail(make_error("expired", "the bundle expired on " + meta.expires));
    auto latest = store.latest_bundle();
    if (!latest) return fail(latest.error());
    if (*latest && meta.version <= (*latest)->version)
        return fail(make_error("not_newer", "the bundle's version " + std::to_string(meta.version) +
                                                " is not above the published version " +
                                                std::to_string((*latest)->version)));

    PublishedBundle b;
    b.version = meta.version;
    char name[40];
    std::snprintf(name, sizeof name, "v%010lld.kbundle", static_cast<long long>(meta.version));
    b.file = name;
    b.sig_file = b.file + ".minisig";
    b.townships = townships;
    b.published_at = now;
    auto sha = file_sha256(tmp);
    if (!sha) return fail(sha.error());
    b.sha256 = *sha;
    auto sig_sha = file_sha256(tmp_sig);
    if (!sig_sha) return fail(sig_sha.error());
    b.sig_sha256 = *sig_sha;
    auto size = util::file_size(tmp);
    auto sig_size = util::file_size(tmp_sig);
    if (!size || !sig_size) return fail(make_error("io", "cannot read the copied files' sizes"));
    b.size = int64_t(*size);
    b.sig_size = int64_t(*sig_size);

    // The signature goes into place first: a bundle is never served without its .minisig.
    const std::string dst = cfg.publish_dir + "/" + b.file;
    const std::string dst_sig = cfg.publish_dir + "/" + b.sig_file;
    if (Status st = util::sync_file(tmp_sig); !st) return fail(st.error());
    if (Status st = util::sync_file(tmp); !st) return fail(st.error());
    if (::rename(tmp_sig.c_str(), dst_sig.c_str()) != 0 || ::rename(tmp.c_str(), dst.c_str()) != 0)
        return fail(make_error("io", "cannot move the bundle into " + cfg.publish_dir + ": " +
                                         util::describe_errno(errno)));
    KIOSK_TRY(util::sync_directory(cfg.publish_dir));
    KIOSK_TRY(store.add_bundle(b));
    return b;
}

}  // namespace kiosk::hub
