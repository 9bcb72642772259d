// Drawing text with the project's Chinese line breaking (never ImGui's own wrap).
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

struct TextStyle {
    ImFont* font = nullptr;
    float px = 0;
    ImU32 color = 0;
    float line_gap = 0.35f;  // extra leading, as a share of px
};

// A run of text with its look; a paragraph is a list of runs wrapped together.
struct Run {
    Run(std::string text_ = {}, bool bold_ = false, bool highlight_ = false, std::string link_ = {})
        : text(std::move(text_)), bold(bold_), highlight(highlight_), link(std::move(link_)) {}
    std::string text;
    bool bold = false;
    bool highlight = false;  // a search match
    std::string link;        // "doc:ID" makes the run a link
};

// Drops the line layouts cached for fonts of an atlas that has been replaced.
void forget_fonts();

float line_height(const TextStyle& style);
float text_width(std::string_view text, const TextStyle& style);

// Height text takes when wrapped to `width` (the same layout draw_wrapped uses).
float wrapped_height(std::string_view text, const TextStyle& style, float width);

// Draws text wrapped to `width` at the cursor and moves the cursor below it. Returns the height.
float draw_wrapped(std::string_view text, const TextStyle& style, float width);

// The same for styled runs; returns the link target of a run that was tapped, or "".
std::string draw_runs(const std::vector<Run>& runs, const TextStyle& style, float width,
                      const char* id);

// Wrapped text at pos, at most max_lines lines; the last shown line ends in "…" when cut.
void draw_wrapped_at(std::string_view text, const TextStyle& style, ImVec2 pos, float width,
                     int max_lines);

// Editable text laid out as draw_wrapped lays it out: where the caret at byte offset `caret` is
// (relative to the text's top left), and the byte offset nearest a point (a tap) there.
ImVec2 caret_spot(std::string_view text, const TextStyle& style, float width, size_t caret);
size_t offset_at(std::string_view text, const TextStyle& style, float width, ImVec2 local);

// One line, cut with "…" if wider than max_width; drawn at pos (screen coordinates).
void draw_line_clipped(std::string_view text, const TextStyle& style, ImVec2 pos, float max_width);

}  // namespace kiosk::ui
