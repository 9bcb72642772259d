// Work done on a worker thread while the program keeps drawing (or, at start, while the window
// and the renderer come up): opening the installed content and building a font atlas for it.
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
    // At start: an atlas for the attract screen only (its notices and the UI strings, a few
    // hundred glyphs built in milliseconds), so the first frame need not wait for the full one.
    bool first_screen_only = false;
    std::string state_dir;
    std::string glyph_text, title_glyph_text;  // the open content's (when open_content is false)
    std::string extra_glyphs;                  // characters met since (input-method candidates)
    ui::Metrics metrics;                       // the sizes the atlas is built for
};

struct Prepared {
    PrepareJob job;  // with the opened content's glyph texts filled in
    // When job.open_content: the store (none when nothing can be opened), which installed bundle
    // it is, and a line for the log (fallback to the previous bundle, no content) or "".
    std::optional<store::ContentStore> store;
    std::string target;
    std::string log;
    std::optional<ui::FontAtlas> atlas;  // none: atlas_error says why
    std::string atlas_error;
    double atlas_ms = 0;
};

Prepared prepare(PrepareJob job);

// Where bundles/current points now; a change means a newer bundle was installed.
std::string installed_target(const std::string& state_dir);

// One job at a time on a worker thread.
class Preparer {
public:
    void start(PrepareJob job);  // only when !busy()
    bool busy() const { return pending_.valid(); }
    // The result once it is ready: nothing while it is still being made (unless wait).
    std::optional<Prepared> take(bool wait);

private:
    std::future<Prepared> pending_;
};

}  // namespace kiosk::app
