// A bundle the hub offers in its heartbeat answer: downloaded with resume into
// <state_dir>/staging/, checked against the offer's size and sha256, then installed by the same
// BundleInstaller as `kioskctl import`. A refusal (bad signature, wrong scope, bad checksum twice,
// too large) is remembered in the sync record by version and sha256, so the same bundle is not
// fetched again and again, and reported in the next heartbeat.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "store/bundle_installer.hpp"
#include "sync/http_client.hpp"
#include "sync/protocol.hpp"
#include "sync/sync_record.hpp"

namespace kiosk::sync {

std::string staging_dir(const std::string& state_dir);  // <state_dir>/staging

struct BundleFetch {
    HttpClient& client;
    store::BundleInstaller& installer;
    std::string state_dir;
    uint64_t max_bytes;  // the install policy's
    SyncRecord& record;
    std::set<std::string>& corrupt_once;
    std::function<void(const std::string&)> log;

    // true when a new bundle was installed; false when there was nothing to do or it was
    // refused (recorded); an error when the download must be tried again later.
    Result<bool> run(const BundleOffer& offer);

private:
    void refuse(const BundleOffer& offer, const std::string& reason);
};

}  // namespace kiosk::sync
