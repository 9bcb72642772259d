// Read-only queries over an installed bundle, and choosing which installed bundle to show.
#include "store/content_store.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

#include "util/utf8.hpp"

namespace kiosk::store {

namespace {

std::vector<std::string> strings_of(const nlohmann::json& j, const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || !it->is_array()) return out;
    for (const auto& v : *it) {
        if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
}

std::string string_of(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Decodes valid UTF-8 into code points (the builder refused invalid text).
void add_code_points(std::set<char32_t>& out, const std::string& s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = p[i];
        char32_t cp;
        size_t len;
        if (c < 0x80)
            cp = c, len = 1;
        else if ((c >> 5) == 0x6)
            cp = c & 0x1F, len = 2;
        else if ((c >> 4) == 0xE)
            cp = c & 0x0F, len = 3;
        else if ((c >> 3) == 0x1E)
            cp = c & 0x07, len = 4;
        else {
            ++i;
            continue;
        }
        if (i + len > n) break;
        for (size_t k = 1; k < len; ++k)
            cp = (cp << 6) | (p[i + k] & 0x3F);
        if (cp >= 0x20 || cp == '\t') out.insert(cp);
        i += len;
    }
}

// Adds the code points of the first column of every row every query returns.
template <size_t N>
Status collect_code_points(Database& db, const char* const (&queries)[N],
                           std::set<char32_t>& seen) {
    for (const char* sql : queries) {
        auto st = db.prepare(sql);
        if (!st) return st.error();
        while (st->step())
            add_code_points(seen, st->text(0));
        if (st->error()) return *st->error();
    }
    return {};
}

}  // namespace

Result<ContentStore> ContentStore::open(const std::string& bundle_path, bool full_check) {
    KIOSK_TRY(check_bundle_header(bundle_path));
    auto db = open_bundle(bundle_path);
    if (!db) return make_error("corrupt", db.error().message);
    if (full_check) KIOSK_TRY(quick_check(*db));
    auto meta = read_bundle_meta(*db);
    if (!meta) return meta.error();
    return ContentStore(std::move(*db), std::move(*meta), bundle_path);
}

Result<std::vector<CategoryInfo>> ContentStore::categories() {
    auto st =
        db_.prepare("SELECT c.id, c.name, c.description, count(d.rowid) FROM categories c "
                    "LEFT JOIN documents d ON d.category = c.id GROUP BY c.id ORDER BY c.sort");
    if (!st) return st.error();
    std::vector<CategoryInfo> out;
    while (st->step())
        out.push_back({st->text(0), st->text(1), st->text(2), st->integer(3)});
    if (st->error()) return *st->error();
    return out;
}

Result<std::vector<DocumentSummary>> ContentStore::summaries(const std::string& sql,
                                                             const std::string& arg, int64_t now) {
    auto st = db_.prepare(sql);
    if (!st) return st.error();
    if (!arg.empty()) st->bind(1, arg);
    std::vector<DocumentSummary> out;
    while (st->step()) {
        DocumentSummary d{st->text(0), st->text(1), st->text(2), st->text(3),
                          st->text(4), st->text(5), false};
        if (d.kind == "notice") {
            auto t = parse_utc_time(d.updated);
            d.is_new = t && *t <= now && now - *t < kNewNoticeDays * 86400;
        }
        out.push_back(std::move(d));
    }
    if (st->error()) return *st->error();
    return out;
}

Result<std::vector<DocumentSummary>> ContentStore::documents_in(const std::string& category,
                                                                int64_t now) {
    return summaries(
        "SELECT id, kind, category, title, summary, updated FROM documents WHERE category = ?1 "
        "ORDER BY CASE kind WHEN 'notice' THEN 1 ELSE 0 END, "
        "CASE kind WHEN 'notice' THEN updated END DESC, sort, title",
        category, now);
}

Result<std::vector<DocumentSummary>> ContentStore::latest_notices(size_t limit, int64_t now) {
    // (documents_by_kind serves this in bundles built since it exists; older ones scan.)
    return summaries("SELECT id, kind, category, title, summary, updated FROM documents "
                     "WHERE kind = 'notice' ORDER BY updated DESC, id LIMIT " +
                         std::to_string(limit),
                     "", now);
}

Result<DocumentView> ContentStore::document(const std::string& id) {
    auto st = db_.prepare(
        "SELECT id, kind, category, title, summary, updated, issuer, effective, expires, "
        "provenance, body, fields FROM documents WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, id);
    if (!st->step()) {
        if (st->error()) return *st->error();
        return make_error("not_found", "no document '" + id + "' in this bundle");
    }
    DocumentView v;
    v.summary = {st->text(0), st->text(1), st->text(2), st->text(3), st->text(4), st->text(5)};
    v.issuer = st->text(6);
    v.effective = st->text(7);
    v.expires = st->text(8);
    v.provenance = st->text(9);
    v.body = st->text(10);
    auto fields = nlohmann::json::parse(st->text(11), nullptr, false);
    if (fields.is_discarded() || !fields.is_object()) {
        return make_error("corrupt", "document '" + id + "' has unreadable fields");
    }
    if (v.summary.kind == "guide") {
        GuideFields g;
        g.conditions = strings_of(fields, "conditions");
        g.materials = strings_of(fields, "materials");
        g.time_limit = string_of(fields, "time_limit");
        g.fee = string_of(fields, "fee");
        g.office = string_of(fields, "office");
        for (const auto& s : fields.value("steps", nlohmann::json::array())) {
            if (s.is_object()) g.steps.push_back({string_of(s, "title"), string_of(s, "detail")});
        }
        for (const auto& b : fields.value("basis", nlohmann::json::array())) {
            if (b.is_object()) g.basis.push_back({string_of(b, "title"), string_of(b, "doc")});
        }
        v.guide = std::move(g);
    } else if (v.summary.kind == "office") {
        v.office = OfficeFields{strings_of(fields, "duties"), string_of(fields, "address"),
                                string_of(fields, "phone"), string_of(fields, "hours"),
                                string_of(fields, "township")};
    }
    return v;
}

Result<AssetData> ContentStore::asset(const std::string& name) {
    auto st = db_.prepare("SELECT mime, data FROM assets WHERE name = ?1");
    if (!st) return st.error();
    st->bind(1, name);
    if (!st->step()) return make_error("not_found", "no image '" + name + "' in this bundle");
    return AssetData{st->text(0), st->blob(1)};
}

Result<std::vector<SearchHit>> ContentStore::search(std::string_view query,
                                                    const SearchOptions& options) {
    return store::search(db_, query, options);
}

Result<std::vector<ReportCategoryInfo>> ContentStore::report_categories() {
    auto st = db_.prepare("SELECT id, name, description FROM report_categories ORDER BY sort");
    if (!st) return st.error();
    std::vector<ReportCategoryInfo> out;
    while (st->step())
        out.push_back({st->text(0), st->text(1), st->text(2)});
    if (st->error()) return *st->error();
    return out;
}

Result<std::vector<RatingTargetInfo>> ContentStore::rating_targets() {
    auto st = db_.prepare(
        "SELECT id, coalesce(parent, ''), level, name FROM rating_targets ORDER BY sort");
    if (!st) return st.error();
    std::vector<RatingTargetInfo> out;
    while (st->step())
        out.push_back({st->text(0), st->text(1), st->text(2), st->text(3)});
    if (st->error()) return *st->error();
    return out;
}

Result<std::u32string> ContentStore::glyphs() {
    std::set<char32_t> seen;
    add_code_points(seen, meta_.title);
    const char* const queries[] = {
        "SELECT name || description FROM categories",
        "SELECT title || summary || body || fields || issuer FROM documents",
        "SELECT ifnull(provenance, '') FROM documents",
        "SELECT name || description FROM report_categories",
        "SELECT name FROM rating_targets",
    };
    KIOSK_TRY(collect_code_points(db_, queries, seen));
    return std::u32string(seen.begin(), seen.end());
}

Status verify_bundle(const std::string& bundle_path) {
    auto db = open_bundle(bundle_path);
    if (!db) return make_error("corrupt", db.error().message);
    return quick_check(*db);
}

Result<OpenedContent> open_installed_content(const std::string& state_dir, bool full_check) {
    namespace fs = std::filesystem;
    const fs::path bundles = fs::path(state_dir) / "bundles";
    auto open_slot = [&](const char* slot) -> Result<ContentStore> {
        std::error_code ec;
        fs::path target = fs::read_symlink(bundles / slot, ec);
        if (ec) return make_error("none", std::string("no ") + slot + " bundle is installed");
        return ContentStore::open((bundles / target / "bundle.kbundle").string(), full_check);
    };
    auto current = open_slot("current");
    if (current) return OpenedContent{std::move(*current), "current", std::nullopt};
    auto previous = open_slot("previous");
    if (previous) return OpenedContent{std::move(*previous), "previous", current.error()};
    if (current.error().code == "none") return current.error();
    return make_error("none", "the installed bundle cannot be opened (" + current.error().message +
                                  ") and there is no usable previous one");
}

}  // namespace kiosk::store
