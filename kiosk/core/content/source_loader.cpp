// Loads a content folder: bundle.toml, the two lists, every document and asset, then cross-checks.
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "content/source.hpp"
#include "content/toml_fields.hpp"
#include "sign/seal_keys.hpp"
#include "util/file_io.hpp"
#include "util/utf8.hpp"

namespace fs = std::filesystem;

namespace kiosk::content {

namespace {

constexpr uint64_t kMaxDocumentBytes = 2u << 20;
constexpr uint64_t kMaxAssetBytes = 8u << 20;
constexpr uint64_t kMaxListBytes = 1u << 20;

// Reads and parses a TOML file; on failure records file:line and returns nullopt.
std::optional<toml::table> read_toml(const std::string& path, const std::string& shown,
                                     SourceErrors& errors) {
    auto text = util::read_file(path, kMaxListBytes);
    if (!text) {
        errors.push_back({shown, 0, text.error().message});
        return std::nullopt;
    }
    if (size_t bad = util::find_invalid_utf8(*text); bad != std::string::npos) {
        errors.push_back({shown, util::line_of_offset(*text, bad), "invalid UTF-8"});
        return std::nullopt;
    }
    try {
        return toml::parse(*text, shown);
    } catch (const toml::parse_error& e) {
        errors.push_back(
            {shown, static_cast<int>(e.source().begin.line), std::string(e.description())});
        return std::nullopt;
    }
}

void load_settings(const std::string& dir, Source& src, SourceErrors& errors) {
    const std::string shown = "bundle.toml";
    auto table = read_toml(dir + "/bundle.toml", shown, errors);
    if (!table) return;
    FieldReader f(*table, shown, 0, 1, errors);
    f.reject_unknown(
        {"title", "scope", "valid_days", "min_kiosk_version", "seal_public_key", "category"});
    auto& s = src.settings;
    s.title = f.string("title", true, 80);
    s.scope = f.string("scope", true, 64);
    s.valid_days = f.integer("valid_days", 365, 1, 3650);
    s.min_kiosk_version = f.string("min_kiosk_version", true, 20);
    s.seal_public_key = f.string("seal_public_key", true, 200);
    if (!s.seal_public_key.empty() && !sign::parse_seal_public_key(s.seal_public_key)) {
        f.error(
            f.line_of("seal_public_key"),
            "'seal_public_key' is not a sealing key (make one with kiosk-bundle keygen --seal)");
    }
    std::set<std::string> ids;
    if (const toml::array* cats = f.tables("category", true)) {
        for (const auto& node : *cats) {
            FieldReader c(*node.as_table(), shown, 0, f.line_of(node), errors);
            c.reject_unknown({"id", "name", "description"});
            Category cat{c.string("id", true, 64), c.string("name", true, 12),
                         c.string("description", true, 200)};
            if (!cat.id.empty() && !is_valid_id(cat.id))
                c.error(c.line_of("id"), "bad category id '" + cat.id + "'");
            if (!ids.insert(cat.id).second)
                c.error(c.line_of("id"), "duplicate category id '" + cat.id + "'");
            src.categories.push_back(std::move(cat));
        }
    }
}

void load_report_categories(const std::string& dir, Source& src, SourceErrors& errors) {
    const std::string shown = "report_categories.toml";
    auto table = read_toml(dir + "/" + shown, shown, errors);
    if (!table) return;
    FieldReader f(*table, shown, 0, 1, errors);
    f.reject_unknown({"category"});
    std::set<std::string> ids;
    if (const toml::array* cats = f.tables("category", true)) {
        for (const auto& node : *cats) {
            FieldReader c(*node.as_table(), shown, 0, f.line_of(node), errors);
            c.reject_unknown({"id", "name", "description"});
            ReportCategory rc{c.string("id", true, 64), c.string("name", true, 30),
                              c.string("description", true, 300)};
            if (!rc.id.empty() && !is_valid_id(rc.id))
                c.error(c.line_of("id"), "bad id '" + rc.id + "'");
            if (!ids.insert(rc.id).second) c.error(c.line_of("id"), "duplicate id '" + rc.id + "'");
            src.report_categories.push_back(std::move(rc));
        }
    }
}

void load_rating_targets(const std::string& dir, Source& src, SourceErrors& errors) {
    const std::string shown = "rating_targets.toml";
    auto table = read_toml(dir + "/" + shown, shown, errors);
    if (!table) return;
    FieldReader f(*table, shown, 0, 1, errors);
    f.reject_unknown({"township"});
    std::set<std::string> ids;
    auto add = [&](FieldReader& r, RatingTarget t) {
        if (!t.id.empty() && !is_valid_id(t.id)) r.error(r.line_of("id"), "bad id '" + t.id + "'");
        if (!ids.insert(t.id).second) r.error(r.line_of("id"), "duplicate id '" + t.id + "'");
        src.rating_targets.push_back(std::move(t));
    };
    const toml::array* towns = f.tables("township", true);
    if (!towns) return;
    for (const auto& tnode : *towns) {
        FieldReader t(*tnode.as_table(), shown, 0, f.line_of(tnode), errors);
        t.reject_unknown({"id", "name", "office"});
        std::string town_id = t.string("id", true, 64);
        add(t, {town_id, "", "township", t.string("name", true, 30)});
        const toml::array* offices = t.tables("office", true);
        if (!offices) continue;
        for (const auto& onode : *offices) {
            FieldReader o(*onode.as_table(), shown, 0, t.line_of(onode), errors);
            o.reject_unknown({"id", "name", "windows"});
            std::string office_id = o.string("id", true, 64);
            add(o, {office_id, town_id, "office", o.string("name", true, 40)});
            auto windows = o.strings("windows", false);
            for (size_t i = 0; i < windows.size(); ++i) {
                src.rating_targets.push_back(
                    {office_id + "-w" + std::to_string(i + 1), office_id, "window", windows[i]});
            }
        }
    }
}

std::string mime_of(const std::string& name, const std::string& data) {
    auto ends = [&](const char* ext) {
        std::string e(ext);
        return name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
    };
    if (ends(".png") && data.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
    if ((ends(".jpg") || ends(".jpeg")) && data.rfind("\xFF\xD8\xFF", 0) == 0) return "image/jpeg";
    return "";
}

void load_assets(const std::string& dir, Source& src, SourceErrors& errors) {
    fs::path assets = fs::path(dir) / "assets";
    std::error_code ec;
    if (!fs::is_directory(assets, ec)) return;
    for (const auto& entry : fs::directory_iterator(assets, ec)) {
        if (!entry.is_regular_file()) continue;
        std::string name = entry.path().filename().string();
        std::string shown = "assets/" + name;
        auto data = util::read_file(entry.path().string(), kMaxAssetBytes);
        if (!data) {
            errors.push_back({shown, 0, data.error().message});
            continue;
        }
        std::string mime = mime_of(name, *data);
        if (mime.empty()) {
            errors.push_back(
                {shown, 0, "only PNG and JPEG images are allowed (checked by content)"});
            continue;
        }
        src.assets.push_back({name, mime, std::move(*data)});
    }
    std::sort(src.assets.begin(), src.assets.end(),
              [](const Asset& a, const Asset& b) { return a.name < b.name; });
}

void load_documents(const std::string& dir, Source& src, SourceErrors& errors) {
    fs::path docs = fs::path(dir) / "docs";
    std::error_code ec;
    if (!fs::is_directory(docs, ec)) {
        errors.push_back({"docs", 0, "the source has no docs/ folder"});
        return;
    }
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(docs, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file() && it->path().extension() == ".md") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        std::string shown = fs::relative(path, dir).string();
        auto text = util::read_file(path.string(), kMaxDocumentBytes);
        if (!text) {
            errors.push_back({shown, 0, text.error().message});
            continue;
        }
        if (auto doc = parse_document(*text, shown, errors))
            src.documents.push_back(std::move(*doc));
    }
}

// Checks that need the whole source: unique ids, categories, links, offices, assets.
void cross_check(Source& src, SourceErrors& errors) {
    std::map<std::string, const Document*> by_id;
    std::set<std::string> categories, assets;
    for (const auto& c : src.categories)
        categories.insert(c.id);
    for (const auto& a : src.assets)
        assets.insert(a.name);
    for (const auto& doc : src.documents) {
        auto [it, inserted] = by_id.emplace(doc.id, &doc);
        if (!inserted) {
            errors.push_back({doc.file, doc.line_of_field("id"),
                              "duplicate id '" + doc.id + "' (also in " + it->second->file + ")"});
        }
    }
    for (const auto& doc : src.documents) {
        if (!categories.count(doc.category)) {
            errors.push_back({doc.file, doc.line_of_field("category"),
                              "unknown category '" + doc.category + "' (see bundle.toml)"});
        }
        for (const auto& target : doc.linked_docs) {
            if (!by_id.count(target)) {
                errors.push_back({doc.file, body_line_of(doc, "doc:" + target),
                                  "broken link: no document has id '" + target + "'"});
            }
        }
        for (const auto& name : doc.linked_assets) {
            if (!assets.count(name)) {
                errors.push_back({doc.file, body_line_of(doc, "asset:" + name),
                                  "missing image: assets/" + name + " does not exist"});
            }
        }
        if (doc.kind == "guide") {
            auto office = by_id.find(doc.office);
            if (!doc.office.empty() &&
                (office == by_id.end() || office->second->kind != "office")) {
                errors.push_back(
                    {doc.file, doc.line_of_field("office"),
                     "'office' must be the id of an office document: '" + doc.office + "'"});
            }
            for (const auto& b : doc.basis) {
                if (!b.doc.empty() && !by_id.count(b.doc)) {
                    errors.push_back({doc.file, doc.line_of_field("basis"),
                                      "basis links to unknown document '" + b.doc + "'"});
                }
            }
        }
    }
}

}  // namespace

LoadedSource load_source(const std::string& dir) {
    LoadedSource out;
    load_settings(dir, out.source, out.errors);
    load_report_categories(dir, out.source, out.errors);
    load_rating_targets(dir, out.source, out.errors);
    load_assets(dir, out.source, out.errors);
    load_documents(dir, out.source, out.errors);
    cross_check(out.source, out.errors);
    auto& docs = out.source.documents;
    std::sort(docs.begin(), docs.end(),
              [](const Document& a, const Document& b) { return a.id < b.id; });
    return out;
}

}  // namespace kiosk::content
