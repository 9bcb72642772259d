// `kiosk-hub import`: the files `kioskctl outbox export` writes on a USB stick, checked whole
// before any item is stored, then stored with the same checks and deduplication as the API.
#pragma once

#include <string>
#include <vector>

#include "hub/hub_store.hpp"
#include "hub/item_check.hpp"
#include "util/result.hpp"

namespace kiosk::hub {

struct ImportSummary {
    std::string file;
    size_t stored = 0, duplicate = 0, rejected = 0;
    std::vector<sync::ItemResult> rejections;  // rejected items with their reasons
};

// Reads and checks one export file: the last line is the manifest (format "kiosk-outbox/1", the
// number of items, the sha256 of every byte before it); a cut or altered file is refused
// ("incomplete", "altered", "malformed") and nothing of it is stored.
Result<std::vector<sync::WireItem>> read_export_file(const std::string& path);

// The export files (kiosk-outbox-*.jsonl) in a folder, sorted, or the path itself for a file.
Result<std::vector<std::string>> export_files(const std::string& dir_or_file);

// Stores one file's items in one transaction, terminal "" and source "import:<file name>".
Result<ImportSummary> import_export_file(const std::string& path, HubStore& store,
                                         const Catalog& catalog, int64_t now, int64_t deadline);

}  // namespace kiosk::hub
