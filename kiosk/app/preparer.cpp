#include "preparer.hpp"

#include <chrono>
#include <filesystem>

namespace kiosk::app {

std::string installed_target(const std::string& state_dir) {
    std::error_code ec;
    return std::filesystem::read_symlink(std::filesystem::path(state_dir) / "bundles/current", ec)
        .string();
}

Prepared prepare(PrepareJob job) {
    Prepared out;
    if (!job.verify_path.empty()) {
        if (Status st = store::verify_bundle(job.verify_path); !st)
            out.log = "the open bundle is damaged (" + st.error().message + "); reopening";
        out.job = std::move(job);
        return out;
    }
    if (job.open_content) {
        out.target = installed_target(job.state_dir);
        auto opened = store::open_installed_content(job.state_dir, job.full_check);
        if (!opened) {
            out.log = "no content: " + opened.error().message;
        } else {
            if (opened->fallback_reason) {
                out.log = "the current bundle cannot be opened (" +
                          opened->fallback_reason->message +
                          "); showing the previous one, version " +
                          std::to_string(opened->store.meta().version);
            }
            out.store.emplace(std::move(opened->store));
        }
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto atlas = ui::build_font_atlas(ui::FontFiles{}, job.metrics.body_px, job.metrics.title_px,
                                      job.metrics.small_px);
    out.atlas_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (atlas)
        out.atlas.emplace(std::move(*atlas));
    else
        out.atlas_error = atlas.error().message;
    out.job = std::move(job);
    return out;
}

void Preparer::start(PrepareJob job) {
    pending_ = std::async(std::launch::async, prepare, std::move(job));
}

std::optional<Prepared> Preparer::take(bool wait) {
    if (!pending_.valid()) return std::nullopt;
    if (!wait && pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return std::nullopt;
    return pending_.get();
}

}  // namespace kiosk::app
