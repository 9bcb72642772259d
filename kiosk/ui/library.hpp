// What the screens show, fetched from the content store between frames (screens never query).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "content/document_model.hpp"
#include "store/content_store.hpp"

namespace kiosk::ui {

struct Library {
    bool available = false;
    store::BundleMeta meta;
    bool expired = false;
    std::vector<store::CategoryInfo> categories;
    std::vector<store::DocumentSummary> notices;  // newest first, for the attract screen
    std::string category_id;
    std::vector<store::DocumentSummary> category_docs;
    std::string doc_id;
    std::optional<store::DocumentView> doc;
    content::DocumentModel model;
    std::string problem;  // a calm sentence when something could not be shown
    // Search results for search_query, refreshed after a pause in typing.
    uint64_t search_edits = ~0ull;
    std::string search_query;
    std::vector<store::SearchHit> search_hits;
    // For the forms: what can be reported, and the townships, offices and windows to rate.
    std::vector<store::ReportCategoryInfo> report_categories;
    std::vector<store::RatingTargetInfo> rating_targets;

    const store::CategoryInfo* category(const std::string& id) const;
    const store::RatingTargetInfo* target(const std::string& id) const;
    // Targets of `level` ("township", "office", "window") under `parent` (any when empty).
    std::vector<const store::RatingTargetInfo*> targets_under(const std::string& parent,
                                                              const char* level) const;
};

// Loads what `state`'s current place needs; cheap when it is already loaded.
void refresh(Library& lib, store::ContentStore* store, const AppState& state, int64_t now);

}  // namespace kiosk::ui
