// Builds a bundle file from a checked source: deterministic bytes for the same source and version.
#pragma once

#include <cstdint>
#include <string>

#include "content/source.hpp"
#include "util/result.hpp"

namespace kiosk::content {

struct BuildOptions {
    int64_t version = 1;
    // 0 = the latest `updated` date of any document (keeps builds reproducible).
    int64_t created_unix = 0;
    // 0 = created + valid_days from bundle.toml.
    int64_t expires_unix = 0;
    std::string out_path;
};

struct BuildSummary {
    int64_t version = 0;
    std::string created, expires;
    size_t documents = 0, assets = 0;
    uint64_t bytes = 0;
};

// Writes out_path atomically (a temporary file, then rename); on failure nothing is left behind.
Result<BuildSummary> build_bundle(const Source& source, const BuildOptions& options);

}  // namespace kiosk::content
