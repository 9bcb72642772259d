// What the hub checks in an item's readable metadata before storing it: the category or rating
// target must be one a published bundle offers, and the kind's own fields must make sense. The
// sealed part is stored as it came (the hub cannot read it, and never needs to).
#pragma once

#include <set>
#include <string>

#include "hub/hub_store.hpp"
#include "sync/protocol.hpp"
#include "util/result.hpp"

namespace kiosk::hub {

// The report categories and rating targets of every published bundle (a township still on an
// older bundle may file under a category a newer one dropped).
struct Catalog {
    bool loaded = false;  // false: nothing published yet, ids are not checked
    std::set<std::string> categories;
    std::set<std::string> targets;
};

// Adds a bundle file's categories and targets (opened read-only with core's store module).
Status add_bundle_to_catalog(const std::string& bundle_path, Catalog& catalog);

// The catalog of every bundle the store lists as published (files in publish_dir).
Result<Catalog> published_catalog(HubStore& store, const std::string& publish_dir);

// Empty when the item may be stored; otherwise a stable reason word for "rejected":
// bad_meta, kind_mismatch, unknown_category, unknown_target, bad_level, bad_reason.
std::string reject_reason(const sync::WireItem& item, const Catalog& catalog);

}  // namespace kiosk::hub
