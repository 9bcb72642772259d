// Fills the Library from the content store for the place being shown.
#include "library.hpp"

namespace kiosk::ui {

const store::CategoryInfo* Library::category(const std::string& id) const {
    for (const auto& c : categories) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

const store::RatingTargetInfo* Library::target(const std::string& id) const {
    for (const auto& t : rating_targets) {
        if (t.id == id) return &t;
    }
    return nullptr;
}

std::vector<const store::RatingTargetInfo*> Library::targets_under(const std::string& parent,
                                                                   const char* level) const {
    std::vector<const store::RatingTargetInfo*> out;
    for (const auto& t : rating_targets) {
        if (t.level == level && (parent.empty() || t.parent == parent)) out.push_back(&t);
    }
    return out;
}

void refresh(Library& lib, store::ContentStore* store, const AppState& state, int64_t now) {
    if (!store) {
        lib = Library{};
        return;
    }
    if (!lib.available || lib.meta.version != store->meta().version) {
        lib = Library{};
        lib.meta = store->meta();
        auto cats = store->categories();
        auto notices = store->latest_notices(8, now);
        if (!cats || !notices) {
            lib.problem = "内容暂时无法读取，请稍后再试或拨打 12356。";
            return;
        }
        lib.categories = std::move(*cats);
        lib.notices = std::move(*notices);
        auto report_cats = store->report_categories();
        auto targets = store->rating_targets();
        if (report_cats) lib.report_categories = std::move(*report_cats);
        if (targets) lib.rating_targets = std::move(*targets);
        lib.available = true;
    }
    lib.expired = store->expired(now);
    const Place& here = state.here();
    if (!here.category.empty() && here.category != lib.category_id) {
        lib.category_id = here.category;
        auto docs = store->documents_in(here.category, now);
        lib.category_docs = docs ? std::move(*docs) : std::vector<store::DocumentSummary>{};
    }
    // Results wait for a pause in typing (a quarter second), so the list does not flicker.
    const SearchState& q = state.search;
    if (here.screen == ScreenId::search && q.edits != lib.search_edits &&
        (q.since_edit >= 0.25 || q.text.empty())) {
        lib.search_edits = q.edits;
        lib.search_query = q.text;
        store::SearchOptions options;
        options.limit = 30;
        options.snippet_chars = 40;
        auto hits = store->search(q.text, options);
        lib.search_hits = hits ? std::move(*hits) : std::vector<store::SearchHit>{};
    }
    if (here.screen == ScreenId::document && here.document != lib.doc_id) {
        lib.doc_id = here.document;
        lib.problem.clear();
        auto doc = store->document(here.document);
        if (doc) {
            lib.model = content::parse_document_model(doc->body);
            lib.doc = std::move(*doc);
        } else {
            lib.doc.reset();
            lib.model = {};
            lib.problem = doc.error().code == "not_found"
                              ? "要查看的文件不存在，可能已经更新或撤下。请返回后重新选择。"
                              : "这份文件暂时无法显示，请稍后再试或拨打 12356。";
        }
    }
}

}  // namespace kiosk::ui
