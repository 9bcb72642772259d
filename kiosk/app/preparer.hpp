// Work done on a worker thread while the program keeps drawing (or, at start, while the window
// and the renderer come up): opening the installed content and making a font atlas (an empty
// glyph cache: glyphs are rasterised when first drawn, so nothing here reads the documents).
// Nothing here touches SDL, OpenGL or an ImGui context, so it is safe off the main thread. (One
// caveat: ImGui's allocator counts allocations in the current context's
// IO.MetricsActiveAllocations without a lock, so the worker's atlas build can make that
// statistic inexact. The kiosk never reads it.)
#pragma once

#include <future>
#include <optional>
#include <string>

#include "store/content_store.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"

namespace kiosk::app {

struct PrepareJob {
    bool open_content = false;  // open the installed bundle first (at start, on a bundle switch)
    // Opening checks the header and the schema; SQLite's quick_check of the whole file (about
    // 70 ms for a 120 MB bundle) follows as a job of its own, after the first frame.
    bool full_check = false;
    std::string verify_path;  // only check this bundle file (no atlas); log says what is wrong
    std::string state_dir;
    ui::Metrics metrics;  // the sizes the atlas is built for
    ui::FontFiles fonts;  // the configured font files (Preparer::start sets them)
};

struct Prepared {
    PrepareJob job;
    // When job.open_content: the store (none when nothing can be opened), which installed bundle
    // it is, and a line for the log (fallback to the previous bundle, no content) or "".
    std::optional<store::ContentStore> store;
    std::string target;
    std::string log;
    std::optional<ui::FontAtlas> atlas;  // none: atlas_error says why
    std::string atlas_error;
    // The configured fonts could not be used (why; a fallback font drew the atlas), and whether
    // that fallback has no Chinese characters (then only a Latin notice can be shown).
    std::string font_problem;
    bool latin_only = false;
    double atlas_ms = 0;
};

Prepared prepare(PrepareJob job);

// Where bundles/current points now; a change means a newer bundle was installed.
std::string installed_target(const std::string& state_dir);

// One job at a time on a worker thread.
class Preparer {
public:
    void start(PrepareJob job);  // only when !busy()
    void set_fonts(ui::FontFiles fonts) { fonts_ = std::move(fonts); }
    bool busy() const { return pending_.valid(); }
    // The result once it is ready: nothing while it is still being made (unless wait).
    std::optional<Prepared> take(bool wait);

private:
    std::future<Prepared> pending_;
    ui::FontFiles fonts_;
};

}  // namespace kiosk::app
