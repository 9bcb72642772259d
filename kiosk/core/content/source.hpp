// The content source (content/ folder): documents with TOML front matter, lists, assets.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

// One mistake in the source, printed as "file:line: message".
struct SourceError {
    std::string file;
    int line = 0;
    std::string message;
    std::string to_string() const;
};
using SourceErrors = std::vector<SourceError>;

struct Step {
    std::string title;
    std::string detail;
};

struct Basis {
    std::string title;
    std::string doc;  // optional id of a document that holds the text
};

struct Document {
    std::string file;
    std::string id, kind, category, title, summary, issuer, provenance;
    std::string updated, effective, expires;  // YYYY-MM-DD; effective and expires may be empty
    int64_t order = 0;
    std::string body;   // Markdown
    int body_line = 1;  // file line where the body starts
    // kind == "guide"
    std::vector<std::string> conditions, materials;
    std::vector<Step> steps;
    std::string time_limit, fee, office;
    std::vector<Basis> basis;
    // kind == "office"
    std::vector<std::string> duties;
    std::string address, phone, hours, township;
    // From the Markdown body: targets of doc: links and asset: images, and the text for search.
    std::vector<std::string> linked_docs, linked_assets;
    std::string plain_text;
    // File line of each front-matter key, for errors found after parsing.
    std::map<std::string, int> field_lines;
    int line_of_field(const std::string& key) const {
        auto it = field_lines.find(key);
        return it == field_lines.end() ? 1 : it->second;
    }
};

struct Category {
    std::string id, name, description;
};

struct ReportCategory {
    std::string id, name, description;
};

// Flattened tree: townships (parent empty), offices (parent = township), windows (parent = office).
struct RatingTarget {
    std::string id, parent, level, name;
};

struct Asset {
    std::string name, mime, data;
};

struct BundleSettings {
    std::string title, scope, min_kiosk_version, seal_public_key;
    int64_t valid_days = 0;
};

struct Source {
    BundleSettings settings;
    std::vector<Category> categories;
    std::vector<Document> documents;  // sorted by id
    std::vector<ReportCategory> report_categories;
    std::vector<RatingTarget> rating_targets;
    std::vector<Asset> assets;  // sorted by name
};

// Reads and checks a whole source folder. The source is usable only when errors is empty.
struct LoadedSource {
    Source source;
    SourceErrors errors;
};
LoadedSource load_source(const std::string& dir);

// Parses one document file's text (front matter + Markdown) and checks what can be checked
// without the rest of the source. Appends every problem found to errors.
std::optional<Document> parse_document(std::string_view text, const std::string& file,
                                       SourceErrors& errors);

// Scans a Markdown body: collects doc:/asset: targets and plain text; reports link targets the
// kiosk cannot show. first_line is the file line where the body starts.
void scan_markdown(Document& doc, int first_line, SourceErrors& errors);

// The file line of the first occurrence of needle in the document's body (or the body's start).
int body_line_of(const Document& doc, const std::string& needle);

}  // namespace kiosk::content
