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
    auto atlas = ui::build_font_atlas(job.fonts, job.metrics.body_px, job.metrics.title_px,
                                      job.metrics.small_px);
    if (!atlas) {
        // Without its font the kiosk still starts: with another Chinese font if the machine has
        // one, else with a Latin one that can at least say what is wrong (never a screen of □).
        out.font_problem = atlas.error().message;
        struct Fallback {
            ui::FontFiles files;
            bool latin_only;
        };
        static const Fallback fallbacks[] = {
            {{"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},
             false},
            {{"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0},
             false},
            {{"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
              "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0},
             false},
            {{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0},
             true},
        };
        for (const auto& f : fallbacks) {
            atlas = ui::build_font_atlas(f.files, job.metrics.body_px, job.metrics.title_px,
                                         job.metrics.small_px);
            if (atlas) {
                out.font_problem += "; drawing with " + f.files.regular + " instead";
                out.latin_only = f.latin_only;
                break;
            }
        }
    }
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
    job.fonts = fonts_;
    pending_ = std::async(std::launch::async, prepare, std::move(job));
}

std::optional<Prepared> Preparer::take(bool wait) {
    if (!pending_.valid()) return std::nullopt;
    if (!wait && pending_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return std::nullopt;
    return pending_.get();
}

}  // namespace kiosk::app
