// Parses one document file: "+++" TOML front matter, then a Markdown body.
#include <toml++/toml.h>

#include <set>

#include "content/source.hpp"
#include "content/toml_fields.hpp"
#include "util/utf8.hpp"

namespace kiosk::content {

namespace {

const std::set<std::string> kKinds = {"article", "guide", "fees", "office", "notice"};

// Splits text into lines without their "\n" (and a trailing "\r"), keeping byte offsets.
struct Line {
    size_t begin, end;
};

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    size_t start = 0;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        size_t trimmed = end > start && text[end - 1] == '\r' ? end - 1 : end;
        lines.push_back({start, trimmed});
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return lines;
}

void read_guide(Document& doc, FieldReader& f) {
    doc.conditions = f.strings("conditions", true);
    doc.materials = f.strings("materials", true);
    doc.time_limit = f.string("time_limit", true);
    doc.fee = f.string("fee", true);
    doc.office = f.string("office", true);
    if (const toml::array* steps = f.tables("steps", true)) {
        for (const auto& node : *steps) {
            FieldReader s(*node.as_table(), f.file(), f.offset(), f.line_of(node), f.errors());
            s.reject_unknown({"title", "detail"});
            doc.steps.push_back({s.string("title", true, 60), s.string("detail", true)});
        }
    }
    if (const toml::array* basis = f.tables("basis", true)) {
        for (const auto& node : *basis) {
            FieldReader b(*node.as_table(), f.file(), f.offset(), f.line_of(node), f.errors());
            b.reject_unknown({"title", "doc"});
            doc.basis.push_back({b.string("title", true, 200), b.string("doc", false, 64)});
        }
    }
}

void read_office(Document& doc, FieldReader& f) {
    doc.duties = f.strings("duties", true);
    doc.address = f.string("address", true, 200);
    doc.phone = f.string("phone", true, 60);
    doc.hours = f.string("hours", true, 200);
    doc.township = f.string("township", false, 64);
}

}  // namespace

std::string SourceError::to_string() const {
    return file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message;
}

std::optional<Document> parse_document(std::string_view text, const std::string& file,
                                       SourceErrors& errors) {
    if (size_t bad = util::find_invalid_utf8(text); bad != std::string_view::npos) {
        errors.push_back(
            {file, util::line_of_offset(text, bad),
             "invalid UTF-8 at byte " + std::to_string(bad) + " (save the file as UTF-8)"});
        return std::nullopt;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a BOM from Windows editors
    auto lines = split_lines(text);
    auto line_text = [&](size_t i) {
        return text.substr(lines[i].begin, lines[i].end - lines[i].begin);
    };
    if (lines.empty() || line_text(0) != "+++") {
        errors.push_back(
            {file, 1, "the file must start with a '+++' line opening the front matter"});
        return std::nullopt;
    }
    size_t close = 0;
    for (size_t i = 1; i < lines.size(); ++i) {
        if (line_text(i) == "+++") {
            close = i;
            break;
        }
    }
    if (close == 0) {
        errors.push_back({file, 1, "the front matter opened here has no closing '+++' line"});
        return std::nullopt;
    }
    std::string_view front = text.substr(lines[1].begin, lines[close].begin - lines[1].begin);
    toml::table table;
    try {
        table = toml::parse(front, file);
    } catch (const toml::parse_error& e) {
        errors.push_back({file, static_cast<int>(e.source().begin.line) + 1,
                          "front matter: " + std::string(e.description())});
        return std::nullopt;
    }

    Document doc;
    doc.file = file;
    FieldReader f(table, file, 1, 1, errors);
    size_t before = errors.size();
    doc.id = f.string("id", true, 64);
    if (!doc.id.empty() && !is_valid_id(doc.id)) {
        f.error(f.line_of("id"), "id '" + doc.id + "' may use only a-z, 0-9 and '-' (at most 64)");
    }
    doc.kind = f.string("kind", true, 20);
    if (!doc.kind.empty() && !kKinds.count(doc.kind)) {
        f.error(f.line_of("kind"),
                "unknown kind '" + doc.kind + "' (article, guide, fees, office or notice)");
    }
    doc.category = f.string("category", true, 64);
    doc.title = f.string("title", true, 120);
    doc.summary = f.string("summary", true, 400);
    doc.issuer = f.string("issuer", true, 100);
    doc.provenance = f.string("provenance", false, 200);
    doc.updated = f.date("updated", true);
    doc.effective = f.date("effective", false);
    doc.expires = f.date("expires", false);
    doc.order = f.integer("order", 0, -100000, 100000);

    if (doc.kind == "guide") {
        read_guide(doc, f);
        f.reject_unknown({"id", "kind", "category", "title", "summary", "issuer", "provenance",
                          "updated", "effective", "expires", "order", "conditions", "materials",
                          "steps", "time_limit", "fee", "basis", "office"});
    } else if (doc.kind == "office") {
        read_office(doc, f);
        f.reject_unknown({"id", "kind", "category", "title", "summary", "issuer", "provenance",
                          "updated", "effective", "expires", "order", "duties", "address", "phone",
                          "hours", "township"});
    } else {
        f.reject_unknown({"id", "kind", "category", "title", "summary", "issuer", "provenance",
                          "updated", "effective", "expires", "order"});
    }
    if (!doc.effective.empty() && !doc.expires.empty() && doc.expires < doc.effective) {
        f.error(f.line_of("expires"), "'expires' is before 'effective'");
    }

    for (auto&& [key, node] : table)
        doc.field_lines[std::string(key.str())] = f.line_of(node);
    size_t body_begin = close + 1 < lines.size() ? lines[close + 1].begin : text.size();
    doc.body = std::string(text.substr(body_begin));
    scan_markdown(doc, static_cast<int>(close) + 2, errors);
    if (errors.size() != before) return std::nullopt;
    return doc;
}

}  // namespace kiosk::content
