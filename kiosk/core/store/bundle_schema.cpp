// Creates and checks the bundle schema; the one place that knows the bundle's tables.
#include "store/bundle_schema.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <vector>

#include "store/search.hpp"
#include "text/cjk_tokenizer.hpp"
#include "util/file_io.hpp"

namespace kiosk::store {

namespace {

const char* const kSchemaSql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID;
CREATE TABLE categories(id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                        sort INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE documents(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                       category TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
                       body TEXT NOT NULL, fields TEXT NOT NULL, sort INTEGER NOT NULL DEFAULT 0,
                       issuer TEXT NOT NULL, updated TEXT NOT NULL, effective TEXT,
                       expires TEXT, provenance TEXT);
CREATE INDEX documents_by_category ON documents(category, sort, title);
CREATE INDEX documents_by_kind ON documents(kind, updated DESC, id);
CREATE TABLE links(from_id TEXT NOT NULL, to_id TEXT NOT NULL, PRIMARY KEY(from_id, to_id))
  WITHOUT ROWID;
CREATE TABLE assets(name TEXT NOT NULL UNIQUE, mime TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE report_categories(id TEXT PRIMARY KEY, name TEXT NOT NULL,
                               description TEXT NOT NULL, sort INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE rating_targets(id TEXT PRIMARY KEY, parent TEXT, level TEXT NOT NULL
                            CHECK(level IN ('township', 'office', 'window')),
                            name TEXT NOT NULL, sort INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// Tables and the columns a reader relies on; extra columns are allowed (newer builders).
const std::map<std::string, std::vector<std::string>> kRequiredColumns = {
    {"meta", {"key", "value"}},
    {"categories", {"id", "name", "description", "sort"}},
    {"documents",
     {"id", "kind", "category", "title", "summary", "body", "fields", "sort", "issuer", "updated"}},
    {"links", {"from_id", "to_id"}},
    {"assets", {"name", "mime", "data"}},
    {"report_categories", {"id", "name", "description", "sort"}},
    {"rating_targets", {"id", "parent", "level", "name", "sort"}},
    {"search_index", {"title", "body"}},
};

std::string percent_encode_path(const std::string& path) {
    std::string out;
    for (unsigned char c : path) {
        if (c == '?' || c == '#' || c == '%' || c < 0x20) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

uint32_t be32(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

}  // namespace

Status create_bundle_schema(Database& db) {
    KIOSK_TRY(db.exec("PRAGMA application_id = " + std::to_string(kBundleApplicationId) +
                      "; PRAGMA user_version = " + std::to_string(kBundleFormat) + ";"));
    KIOSK_TRY(db.exec(kSchemaSql));
    return create_search_index(db);
}

Status check_bundle_header(const std::string& path) {
    auto size = util::file_size(path);
    if (!size) return size.error();
    if (*size == 0) return make_error("empty", "the bundle file is empty (0 bytes)");
    auto head = util::read_prefix(path, 100);
    if (!head) return head.error();
    const std::string& h = *head;
    if (h.size() < 100 || std::memcmp(h.data(), "SQLite format 3", 16) != 0) {
        return make_error("not_sqlite", "the file is not a bundle: it is not an SQLite database");
    }
    auto* p = reinterpret_cast<const unsigned char*>(h.data());
    uint32_t page_size = (uint32_t(p[16]) << 8) | p[17];
    if (page_size == 1) page_size = 65536;
    uint32_t page_count = be32(p + 28);
    // The in-header page count is valid only when the change counter matches (SQLite >= 3.7.0).
    bool count_valid = be32(p + 24) == be32(p + 92) && page_count != 0;
    if (count_valid && uint64_t(page_size) * page_count > *size) {
        return make_error("truncated", "the bundle is truncated: " + std::to_string(*size) +
                                           " bytes of " +
                                           std::to_string(uint64_t(page_size) * page_count));
    }
    if (page_size < 512 || *size % page_size != 0) {
        return make_error("truncated", "the bundle is truncated: " + std::to_string(*size) +
                                           " bytes is not a whole number of pages");
    }
    return {};
}

Result<Database> open_bundle(const std::string& path) {
    auto db = Database::open("file:" + percent_encode_path(path) + "?mode=ro&immutable=1",
                             SQLITE_OPEN_READONLY);
    if (!db) return db.error();
    KIOSK_TRY(text::register_cjk_tokenizer(db->handle()));
    return db;
}

Status quick_check(Database& db) {
    auto st = db.prepare("PRAGMA quick_check(1)");
    if (!st) return make_error("corrupt", "the bundle is damaged: " + st.error().message);
    if (!st->step()) {
        return make_error("corrupt", "the bundle is damaged: " +
                                         (st->error() ? st->error()->message : "no result"));
    }
    std::string verdict = st->text(0);
    if (verdict != "ok") return make_error("corrupt", "the bundle is damaged: " + verdict);
    return {};
}

Result<BundleMeta> read_bundle_meta(Database& db) {
    auto format_error = [](const std::string& what) {
        return make_error("format", "the file is not a bundle this kiosk can read: " + what);
    };
    {
        auto st = db.prepare("PRAGMA application_id");
        if (!st || !st->step()) return format_error("cannot read its header");
        if (st->integer(0) != kBundleApplicationId) return format_error("wrong application id");
    }
    {
        auto st = db.prepare("PRAGMA user_version");
        if (!st || !st->step()) return format_error("cannot read its format number");
        if (st->integer(0) != kBundleFormat) {
            return format_error("format " + std::to_string(st->integer(0)) + ", this kiosk reads " +
                                std::to_string(kBundleFormat));
        }
    }
    for (const auto& [table, columns] : kRequiredColumns) {
        auto st = db.prepare("SELECT name FROM pragma_table_info(?1)");
        if (!st) return format_error(st.error().message);
        st->bind(1, table);
        std::vector<std::string> have;
        while (st->step())
            have.push_back(st->text(0));
        if (have.empty()) return format_error("table '" + table + "' is missing");
        for (const auto& c : columns) {
            bool found = false;
            for (const auto& h : have)
                found = found || h == c;
            if (!found) return format_error("column '" + table + "." + c + "' is missing");
        }
    }

    std::map<std::string, std::string> meta;
    std::map<std::string, int64_t> meta_int;
    {
        auto st = db.prepare("SELECT key, value, typeof(value) FROM meta");
        if (!st) return format_error(st.error().message);
        while (st->step()) {
            meta[st->text(0)] = st->text(1);
            if (st->text(2) == "integer") meta_int[st->text(0)] = st->integer(1);
        }
        if (st->error()) return make_error("corrupt", "cannot read meta: " + st->error()->message);
    }
    BundleMeta m;
    for (const char* key : {"format", "version"}) {
        if (!meta_int.count(key)) return format_error(std::string("meta '") + key + "' missing");
    }
    for (const char* key : {"title", "scope", "created", "expires", "min_kiosk_version"}) {
        if (!meta.count(key) || meta[key].empty()) {
            return format_error(std::string("meta '") + key + "' missing");
        }
    }
    m.format = meta_int["format"];
    m.version = meta_int["version"];
    if (m.format != kBundleFormat) return format_error("meta format " + std::to_string(m.format));
    if (m.version <= 0) return format_error("version must be a positive integer");
    m.title = meta["title"];
    m.scope = meta["scope"];
    m.created = meta["created"];
    m.expires = meta["expires"];
    m.min_kiosk_version = meta["min_kiosk_version"];
    m.seal_public_key = meta["seal_public_key"];
    auto created = parse_utc_time(m.created);
    auto expires = parse_utc_time(m.expires);
    if (!created || !expires) return format_error("bad created/expires time");
    m.created_unix = *created;
    m.expires_unix = *expires;

    auto st = db.prepare("SELECT count(*) FROM documents");
    if (!st || !st->step()) return make_error("corrupt", "cannot count documents");
    m.document_count = st->integer(0);
    return m;
}

int compare_versions(const std::string& a, const std::string& b) {
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        long x = 0, y = 0;
        for (; i < a.size() && a[i] != '.'; ++i) {
            x = x * 10 + (std::isdigit(static_cast<unsigned char>(a[i])) ? a[i] - '0' : 0);
        }
        for (; j < b.size() && b[j] != '.'; ++j) {
            y = y * 10 + (std::isdigit(static_cast<unsigned char>(b[j])) ? b[j] - '0' : 0);
        }
        if (x != y) return x < y ? -1 : 1;
        ++i;
        ++j;
    }
    return 0;
}

}  // namespace kiosk::store
