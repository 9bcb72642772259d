// Reading `kioskctl outbox export` files: the manifest check first, then the items.
#include "hub/import_export.hpp"

#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/file_io.hpp"

namespace kiosk::hub {

namespace fs = std::filesystem;

namespace {
// An export holds at most the kiosk's outbox (50 MiB by default, 4 GiB at most by config).
constexpr uint64_t kMaxExportBytes = 1ull << 30;
}  // namespace

Result<std::vector<sync::WireItem>> read_export_file(const std::string& path) {
    auto text = util::read_file(path, kMaxExportBytes);
    if (!text) return text.error();
    const std::string& t = *text;
    if (t.empty() || t.back() != '\n')
        return make_error("incomplete", path + ": the file is cut (no complete last line)");
    const size_t last_start =
        t.rfind('\n', t.size() - 2) == std::string::npos ? 0 : t.rfind('\n', t.size() - 2) + 1;
    auto manifest_line = std::string_view(t).substr(last_start, t.size() - 1 - last_start);
    auto j = nlohmann::json::parse(manifest_line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("manifest") || !j["manifest"].is_object())
        return make_error("incomplete", path + ": the file is cut (its last line is no manifest)");
    const auto& m = j["manifest"];
    if (!m.contains("format") || m["format"] != "kiosk-outbox/1")
        return make_error("malformed", path + ": not a kiosk-outbox/1 export");
    if (!m.contains("sha256") || !m["sha256"].is_string() || !m.contains("items") ||
        !m["items"].is_number_unsigned())
        return make_error("malformed", path + ": the manifest lacks sha256 or items");

    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(t.data()), last_start);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    if (m["sha256"].get<std::string>() != hex)
        return make_error("altered", path + ": the content does not match its manifest's sha256");

    std::vector<sync::WireItem> items;
    size_t pos = 0, line_no = 0;
    while (pos < last_start) {
        size_t nl = t.find('\n', pos);
        ++line_no;
        auto item = sync::decode_wire_item(std::string_view(t).substr(pos, nl - pos));
        if (!item)
            return make_error("malformed",
                              path + ":" + std::to_string(line_no) + ": " + item.error().message);
        items.push_back(std::move(*item));
        pos = nl + 1;
    }
    if (items.size() != m["items"].get<uint64_t>())
        return make_error("altered", path + ": the manifest counts " +
                                         std::to_string(m["items"].get<uint64_t>()) +
                                         " items, the file holds " + std::to_string(items.size()));
    return items;
}

Result<std::vector<std::string>> export_files(const std::string& dir_or_file) {
    std::error_code ec;
    if (fs::is_regular_file(dir_or_file, ec)) return std::vector<std::string>{dir_or_file};
    if (!fs::is_directory(dir_or_file, ec))
        return make_error("io", dir_or_file + ": no such file or folder");
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_or_file, ec)) {
        const std::string name = e.path().filename().string();
        // Hidden ".part" files are exports that never finished.
        if (name.rfind("kiosk-outbox-", 0) == 0 && e.path().extension() == ".jsonl" &&
            e.is_regular_file())
            out.push_back(e.path().string());
    }
    if (ec) return make_error("io", dir_or_file + ": " + ec.message());
    std::sort(out.begin(), out.end());
    return out;
}

Result<ImportSummary> import_export_file(const std::string& path, HubStore& store,
                                         const Catalog& catalog, int64_t now, int64_t deadline) {
    auto items = read_export_file(path);
    if (!items) return items.error();
    std::vector<BatchEntry> entries;
    entries.reserve(items->size());
    for (const auto& it : *items)
        entries.push_back(BatchEntry{&it, reject_reason(it, catalog)});
    ImportSummary summary;
    summary.file = path;
    if (entries.empty()) return summary;
    auto results = store.store_batch(entries, "", "import:" + fs::path(path).filename().string(),
                                     now, deadline);
    if (!results) return results.error();
    for (auto& r : *results) {
        if (r.outcome == sync::ItemOutcome::stored) ++summary.stored;
        if (r.outcome == sync::ItemOutcome::duplicate) ++summary.duplicate;
        if (r.outcome == sync::ItemOutcome::rejected) {
            ++summary.rejected;
            summary.rejections.push_back(std::move(r));
        }
    }
    return summary;
}

}  // namespace kiosk::hub
