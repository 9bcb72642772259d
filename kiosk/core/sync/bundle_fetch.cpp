// Fetching and installing an offered bundle.
#include "sync/bundle_fetch.hpp"

#include <unistd.h>

#include <filesystem>

#include "sync/enrollment.hpp"

namespace kiosk::sync {

std::string staging_dir(const std::string& state_dir) {
    return state_dir + "/staging";
}

namespace {

// The hub names its own URLs; anything but a plain path under the API is not followed.
bool plain_api_path(const std::string& p) {
    if (p.rfind(std::string(kApiPrefix) + "/bundles/", 0) != 0) return false;
    if (p.find("..") != std::string::npos) return false;
    for (char c : p)
        if (c <= ' ' || c == '?' || c == '#' || c == '%' || c == '\\') return false;
    return true;
}

}  // namespace

void BundleFetch::refuse(const BundleOffer& offer, const std::string& reason) {
    record.refused_bundle_version = offer.version;
    record.refused_bundle_sha256 = offer.sha256;
    record.refused_bundle_reason = reason;
    log("bundle " + std::to_string(offer.version) + " refused: " + reason);
}

Result<bool> BundleFetch::run(const BundleOffer& offer) {
    int64_t installed = 0;
    if (auto cur = installer.current()) installed = cur->meta.version;
    if (offer.version <= installed) return false;
    if (record.refused_bundle_version == offer.version &&
        record.refused_bundle_sha256 == offer.sha256)
        return false;  // refused before: reported in heartbeats, not fetched again
    if (!plain_api_path(offer.url) || !plain_api_path(offer.signature_url)) {
        refuse(offer, "the offer's URL is not a bundle path under " + std::string(kApiPrefix));
        return false;
    }
    const uint64_t policy_max = max_bytes;
    if (offer.size <= 0 || uint64_t(offer.size) > policy_max) {
        refuse(offer, "too_large: the offered bundle has " + std::to_string(offer.size) +
                          " bytes, this terminal takes at most " + std::to_string(policy_max));
        return false;
    }
    const std::string dir = staging_dir(state_dir);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    // Named by version and checksum: a partial file is only ever resumed with the same bytes.
    const std::string file =
        dir + "/" + std::to_string(offer.version) + "-" + offer.sha256.substr(0, 16) + ".kbundle";
    const std::string sig = file + ".minisig";
    // A partial file of another offer (an older version, or the same one republished) goes.
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().string() != file) std::filesystem::remove_all(entry.path(), ec);
    const std::string key = std::to_string(offer.version) + ":" + offer.sha256;
    auto got = client.download(offer.url, file, offer.size, offer.sha256);
    if (!got) {
        if (got.error().code == "corrupt") {
            if (corrupt_once.count(key)) {  // twice the same: the hub serves other bytes
                refuse(offer, "corrupt: " + got.error().message);
                return false;
            }
            corrupt_once.insert(key);
        }
        log("bundle " + std::to_string(offer.version) + " download stopped (" + got.error().code +
            "): " + got.error().message);
        return got.error();
    }
    log("bundle " + std::to_string(offer.version) + " downloaded (" + std::to_string(got->bytes) +
        " bytes" + (got->resumed_from ? ", resumed at " + std::to_string(got->resumed_from) : "") +
        ")");
    auto s = client.get(offer.signature_url);
    if (!s) return s.error();
    if (s->status != 200)
        return make_error("http_" + std::to_string(s->status),
                          "bundle signature: " + describe_http_error(*s));
    KIOSK_TRY(write_private_file(sig, s->body, 0644));
    auto done = installer.install(file, sig);
    std::filesystem::remove(file, ec);
    std::filesystem::remove(sig, ec);
    if (!done) {
        refuse(offer, done.error().code + ": " + done.error().message);
        return false;
    }
    record.refused_bundle_version = 0;
    record.refused_bundle_sha256.clear();
    record.refused_bundle_reason.clear();
    log("bundle " + std::to_string(done->meta.version) + " installed");
    return true;
}

}  // namespace kiosk::sync
