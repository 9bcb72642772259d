// Read-only access to an installed bundle for the kiosk UI: categories, documents, assets, search.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/bundle_schema.hpp"
#include "store/search.hpp"
#include "store/sqlite.hpp"
#include "util/result.hpp"

namespace kiosk::store {

// A notice updated within this many days of "now" is marked new.
inline constexpr int64_t kNewNoticeDays = 7;

struct CategoryInfo {
    std::string id, name, description;
    int64_t document_count = 0;
};

struct DocumentSummary {
    std::string id, kind, category, title, summary, updated;
    bool is_new = false;  // a notice from the last kNewNoticeDays days
};

struct GuideStep {
    std::string title, detail;
};

struct LegalBasis {
    std::string title;
    std::string doc;  // may be empty: no document holds the text
};

struct GuideFields {
    std::vector<std::string> conditions, materials;
    std::vector<GuideStep> steps;
    std::string time_limit, fee, office;
    std::vector<LegalBasis> basis;
};

struct OfficeFields {
    std::vector<std::string> duties;
    std::string address, phone, hours, township;
};

struct DocumentView {
    DocumentSummary summary;
    std::string issuer, effective, expires, provenance;
    std::string body;  // Markdown
    std::optional<GuideFields> guide;
    std::optional<OfficeFields> office;
};

struct AssetData {
    std::string mime, data;
};

struct ReportCategoryInfo {
    std::string id, name, description;
};

struct RatingTargetInfo {
    std::string id, parent, level, name;
};

class ContentStore {
public:
    // Opens and checks a bundle file (header, format, and with full_check SQLite's quick_check,
    // which reads the whole file); no signature check: the installer verified it, and the file
    // is immutable once installed. Without full_check, verify_bundle() can follow later.
    static Result<ContentStore> open(const std::string& bundle_path, bool full_check = true);

    const BundleMeta& meta() const { return meta_; }
    const std::string& path() const { return path_; }
    bool expired(int64_t now) const { return meta_.expires_unix <= now; }

    Result<std::vector<CategoryInfo>> categories();
    // In display order; notices newest first. `now` decides which notices are new.
    Result<std::vector<DocumentSummary>> documents_in(const std::string& category, int64_t now);
    Result<std::vector<DocumentSummary>> latest_notices(size_t limit, int64_t now);
    // "not_found" when no document has the id (a stale link, say).
    Result<DocumentView> document(const std::string& id);
    Result<AssetData> asset(const std::string& name);
    Result<std::vector<SearchHit>> search(std::string_view query,
                                          const SearchOptions& options = {});
    Result<std::vector<ReportCategoryInfo>> report_categories();
    Result<std::vector<RatingTargetInfo>> rating_targets();
    // Every distinct code point the bundle can show, ascending (reads every document: not for
    // start-up; the kiosk's glyph cache rasterises characters as they are drawn).
    Result<std::u32string> glyphs();

private:
    ContentStore(Database db, BundleMeta meta, std::string path)
        : db_(std::move(db)), meta_(std::move(meta)), path_(std::move(path)) {}
    Result<std::vector<DocumentSummary>> summaries(const std::string& sql, const std::string& arg,
                                                   int64_t now);

    Database db_;
    BundleMeta meta_;
    std::string path_;
};

// The bundle the kiosk shows: the current one, or the previous one when the current cannot be
// opened (then fallback_reason says why, for the log). "none" when neither opens.
struct OpenedContent {
    ContentStore store;
    std::string slot;  // "current" or "previous"
    std::optional<Error> fallback_reason;
};
Result<OpenedContent> open_installed_content(const std::string& state_dir, bool full_check = true);

// SQLite's quick_check of a bundle file on a connection of its own (a worker can run it while
// the UI reads the same bundle): "corrupt" when it fails.
Status verify_bundle(const std::string& bundle_path);

}  // namespace kiosk::store
