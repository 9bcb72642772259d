// Metadata checks for submitted items, against the published bundles' categories and targets.
#include "hub/item_check.hpp"

#include <nlohmann/json.hpp>

#include "store/content_store.hpp"

namespace kiosk::hub {

namespace {
// The reasons a low rating may give: the kiosk's list (submit/submitter.cpp, kAllowedReasons).
const std::set<std::string> kRatingReasons = {"attitude", "efficiency", "fees", "openness",
                                              "other"};
}  // namespace

Status add_bundle_to_catalog(const std::string& bundle_path, Catalog& catalog) {
    auto content = store::ContentStore::open(bundle_path, false);
    if (!content) return content.error();
    auto cats = content->report_categories();
    if (!cats) return cats.error();
    auto targets = content->rating_targets();
    if (!targets) return targets.error();
    for (const auto& c : *cats)
        catalog.categories.insert(c.id);
    for (const auto& t : *targets)
        catalog.targets.insert(t.id);
    catalog.loaded = true;
    return {};
}

Result<Catalog> published_catalog(HubStore& store, const std::string& publish_dir) {
    auto all = store.bundles();
    if (!all) return all.error();
    Catalog catalog;
    for (const auto& b : *all)
        KIOSK_TRY(add_bundle_to_catalog(publish_dir + "/" + b.file, catalog));
    return catalog;
}

std::string reject_reason(const sync::WireItem& item, const Catalog& catalog) {
    using Json = nlohmann::json;
    Json meta = Json::parse(item.meta_json, nullptr, false);
    if (meta.is_discarded() || !meta.is_object()) return "bad_meta";
    const std::string kind = submit::kind_name(item.kind);
    if (auto k = meta.find("kind"); k != meta.end() && !(k->is_string() && *k == kind))
        return "kind_mismatch";
    auto text = [&](const char* key) -> const std::string* {
        auto it = meta.find(key);
        if (it == meta.end() || !it->is_string()) return nullptr;
        return &it->get_ref<const std::string&>();
    };
    switch (item.kind) {
    case submit::Kind::report: {
        const std::string* category = text("category");
        if (!category || category->empty()) return "bad_meta";
        if (catalog.loaded && !catalog.categories.count(*category)) return "unknown_category";
        if (auto rn = meta.find("real_name"); rn != meta.end() && !rn->is_boolean())
            return "bad_meta";
        return "";
    }
    case submit::Kind::rating: {
        const std::string* target = text("target_id");
        if (!target || target->empty()) return "bad_meta";
        if (catalog.loaded && !catalog.targets.count(*target)) return "unknown_target";
        auto level = meta.find("level");
        if (level == meta.end() || !level->is_number_integer()) return "bad_level";
        const int64_t l = level->get<int64_t>();
        if (l < 1 || l > 5) return "bad_level";
        if (auto reasons = meta.find("reasons"); reasons != meta.end()) {
            if (!reasons->is_array() || reasons->size() > kRatingReasons.size())
                return "bad_reason";
            for (const auto& r : *reasons) {
                if (!r.is_string() || !kRatingReasons.count(r.get<std::string>()))
                    return "bad_reason";
                if (l > 3) return "bad_reason";  // only low ratings give reasons
            }
        }
        return "";
    }
    case submit::Kind::consultation:
        return "";
    }
    return "bad_meta";
}

}  // namespace kiosk::hub
