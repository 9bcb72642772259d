// Writes the bundle: one SQLite file with documents, lists, assets and a prebuilt search index.
#include "content/bundle_builder.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>

#include "store/bundle_schema.hpp"
#include "store/search.hpp"
#include "store/sqlite.hpp"
#include "text/cjk_tokenizer.hpp"
#include "util/file_io.hpp"

namespace kiosk::content {

namespace {

using store::Database;

std::string fields_json(const Document& d) {
    nlohmann::json j = nlohmann::json::object();
    if (d.kind == "guide") {
        j["conditions"] = d.conditions;
        j["materials"] = d.materials;
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& s : d.steps)
            steps.push_back({{"title", s.title}, {"detail", s.detail}});
        j["steps"] = steps;
        j["time_limit"] = d.time_limit;
        j["fee"] = d.fee;
        nlohmann::json basis = nlohmann::json::array();
        for (const auto& b : d.basis)
            basis.push_back({{"title", b.title}, {"doc", b.doc}});
        j["basis"] = basis;
        j["office"] = d.office;
    } else if (d.kind == "office") {
        j["duties"] = d.duties;
        j["address"] = d.address;
        j["phone"] = d.phone;
        j["hours"] = d.hours;
        j["township"] = d.township;
    }
    return j.dump();
}

// What search sees of a document besides its title: summary, structured fields, body text.
std::string search_text(const Document& d) {
    std::string t = d.summary + "\n";
    auto add_all = [&](const std::vector<std::string>& v) {
        for (const auto& s : v)
            t += s + "\n";
    };
    add_all(d.conditions);
    add_all(d.materials);
    for (const auto& s : d.steps)
        t += s.title + " " + s.detail + "\n";
    for (const auto& b : d.basis)
        t += b.title + "\n";
    if (!d.time_limit.empty()) t += d.time_limit + "\n" + d.fee + "\n";
    add_all(d.duties);
    if (!d.address.empty()) t += d.address + "\n" + d.phone + "\n" + d.hours + "\n";
    t += d.plain_text;
    return t;
}

Status insert_all(Database& db, const Source& src, const BuildOptions& opt, int64_t created,
                  int64_t expires) {
    auto meta = db.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2)");
    if (!meta) return meta.error();
    auto put_text = [&](const char* k, const std::string& v) {
        meta->reset();
        meta->bind(1, std::string_view(k)).bind(2, std::string_view(v));
        return meta->run();
    };
    auto put_int = [&](const char* k, int64_t v) {
        meta->reset();
        meta->bind(1, std::string_view(k)).bind(2, v);
        return meta->run();
    };
    KIOSK_TRY(put_int("format", store::kBundleFormat));
    KIOSK_TRY(put_int("version", opt.version));
    KIOSK_TRY(put_text("title", src.settings.title));
    KIOSK_TRY(put_text("scope", src.settings.scope));
    KIOSK_TRY(put_text("created", store::format_utc_time(created)));
    KIOSK_TRY(put_text("expires", store::format_utc_time(expires)));
    KIOSK_TRY(put_text("min_kiosk_version", src.settings.min_kiosk_version));
    KIOSK_TRY(put_text("seal_public_key", src.settings.seal_public_key));

    auto cat = db.prepare("INSERT INTO categories VALUES(?1, ?2, ?3, ?4)");
    if (!cat) return cat.error();
    for (size_t i = 0; i < src.categories.size(); ++i) {
        const auto& c = src.categories[i];
        cat->reset();
        cat->bind(1, c.id).bind(2, c.name).bind(3, c.description).bind(4, int64_t(i));
        KIOSK_TRY(cat->run());
    }

    auto doc = db.prepare(
        "INSERT INTO documents(rowid, id, kind, category, title, summary, body, fields, sort, "
        "issuer, updated, effective, expires, provenance) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    auto link = db.prepare("INSERT OR IGNORE INTO links VALUES(?1, ?2)");
    if (!doc) return doc.error();
    if (!link) return link.error();
    int64_t rowid = 0;
    for (const auto& d : src.documents) {
        ++rowid;
        doc->reset();
        doc->bind(1, rowid).bind(2, d.id).bind(3, d.kind).bind(4, d.category).bind(5, d.title);
        doc->bind(6, d.summary).bind(7, d.body).bind(8, fields_json(d)).bind(9, d.order);
        doc->bind(10, d.issuer).bind(11, d.updated);
        if (d.effective.empty())
            doc->bind_null(12);
        else
            doc->bind(12, d.effective);
        if (d.expires.empty())
            doc->bind_null(13);
        else
            doc->bind(13, d.expires);
        if (d.provenance.empty())
            doc->bind_null(14);
        else
            doc->bind(14, d.provenance);
        KIOSK_TRY(doc->run());
        KIOSK_TRY(store::index_document(db, rowid, d.title, search_text(d)));
        std::vector<std::string> targets = d.linked_docs;
        for (const auto& b : d.basis)
            if (!b.doc.empty()) targets.push_back(b.doc);
        if (!d.office.empty()) targets.push_back(d.office);
        for (const auto& t : targets) {
            link->reset();
            link->bind(1, d.id).bind(2, t);
            KIOSK_TRY(link->run());
        }
    }

    auto asset = db.prepare("INSERT INTO assets(name, mime, data) VALUES(?1, ?2, ?3)");
    if (!asset) return asset.error();
    for (const auto& a : src.assets) {
        asset->reset();
        asset->bind(1, a.name).bind(2, a.mime).bind_blob(3, a.data.data(), a.data.size());
        KIOSK_TRY(asset->run());
    }

    auto rc = db.prepare("INSERT INTO report_categories VALUES(?1, ?2, ?3, ?4)");
    if (!rc) return rc.error();
    for (size_t i = 0; i < src.report_categories.size(); ++i) {
        const auto& c = src.report_categories[i];
        rc->reset();
        rc->bind(1, c.id).bind(2, c.name).bind(3, c.description).bind(4, int64_t(i));
        KIOSK_TRY(rc->run());
    }
    auto rt = db.prepare("INSERT INTO rating_targets VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!rt) return rt.error();
    for (size_t i = 0; i < src.rating_targets.size(); ++i) {
        const auto& t = src.rating_targets[i];
        rt->reset();
        rt->bind(1, t.id);
        if (t.parent.empty())
            rt->bind_null(2);
        else
            rt->bind(2, t.parent);
        rt->bind(3, t.level).bind(4, t.name).bind(5, int64_t(i));
        KIOSK_TRY(rt->run());
    }
    return {};
}

}  // namespace

Result<BuildSummary> build_bundle(const Source& src, const BuildOptions& opt) {
    if (opt.version <= 0) return make_error("usage", "the version must be a positive integer");
    int64_t created = opt.created_unix;
    if (created == 0) {
        std::string latest;
        for (const auto& d : src.documents)
            latest = std::max(latest, d.updated);
        if (latest.empty()) return make_error("usage", "the source has no documents");
        auto t = store::parse_utc_time(latest);
        if (!t) return t.error();
        created = *t;
    }
    int64_t expires =
        opt.expires_unix ? opt.expires_unix : created + src.settings.valid_days * 86400;
    if (expires <= created)
        return make_error("usage", "the bundle would expire before it is created");

    // Built in a scratch file, then copied compactly by VACUUM INTO: same inserts, same bytes.
    std::string scratch = opt.out_path + ".build";
    std::string staged = opt.out_path + ".tmp";
    ::unlink(scratch.c_str());
    ::unlink(staged.c_str());
    auto cleanup = [&] {
        ::unlink(scratch.c_str());
        ::unlink(staged.c_str());
    };
    {
        auto db = Database::open(scratch, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        if (!db) return db.error();
        Status st = text::register_cjk_tokenizer(db->handle());
        if (st)
            st = db->exec("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; "
                          "PRAGMA synchronous = OFF; BEGIN;");
        if (st) st = store::create_bundle_schema(*db);
        if (st) st = insert_all(*db, src, opt, created, expires);
        if (st) st = db->exec("INSERT INTO search_index(search_index) VALUES('optimize'); COMMIT;");
        if (st) {
            auto vac = db->prepare("VACUUM INTO ?1");
            if (!vac)
                st = vac.error();
            else
                st = vac->bind(1, staged).run();
        }
        if (!st) {
            cleanup();
            return make_error("build", "cannot write " + opt.out_path + ": " + st.error().message);
        }
    }
    // VACUUM INTO does not fsync: make the bytes durable before they replace anything.
    if (Status st = util::sync_file(staged); !st) {
        cleanup();
        return st.error();
    }
    if (std::rename(staged.c_str(), opt.out_path.c_str()) != 0) {
        cleanup();
        return make_error("io", "cannot rename the new bundle onto " + opt.out_path);
    }
    ::unlink(scratch.c_str());
    BuildSummary sum;
    sum.version = opt.version;
    sum.created = store::format_utc_time(created);
    sum.expires = store::format_utc_time(expires);
    sum.documents = src.documents.size();
    sum.assets = src.assets.size();
    auto size = util::file_size(opt.out_path);
    sum.bytes = size ? *size : 0;
    return sum;
}

}  // namespace kiosk::content
