// What the last frame showed: visible text and touch targets, for replay scripts and tests.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

struct ProbeItem {
    std::string text;
    ImVec2 min, max;  // screen rectangle
};

// A vertical scroll area drawn this frame: its clip rectangle and how far its content is scrolled
// (whole pixels), so a renderer can move last frame's pixels instead of drawing them again.
struct ScrollLayer {
    ImVec4 clip{0, 0, 0, 0};
    float offset = 0;
    bool valid = false;
};

struct Probe {
    std::vector<ProbeItem> texts;    // every piece of text drawn and visible
    std::vector<ProbeItem> targets;  // every touch target, by its visible label
    bool animating = false;          // something moves: draw another frame soon
    bool dragging = false;           // a finger is scrolling: a release is not a tap
    ScrollLayer scroll_layer;        // the largest vertical scroll area, if any

    void begin_frame();
    void add_text(std::string_view text, ImVec2 min, ImVec2 max);
    void add_target(std::string_view label, ImVec2 min, ImVec2 max);
    // The target whose label equals `label` (else contains it); nullptr when none is visible.
    const ProbeItem* find_target(std::string_view label) const;
    bool shows_text(std::string_view needle) const;
};

// The probe of the frame being drawn (one UI per process).
Probe& probe();

}  // namespace kiosk::ui
