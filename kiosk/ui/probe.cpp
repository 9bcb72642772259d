// Records what each frame shows, clipped to the visible area.
#include "probe.hpp"

namespace kiosk::ui {

namespace {
bool visible(ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec4 clip = dl->_ClipRectStack.Size ? dl->_ClipRectStack.back() : ImVec4(0, 0, 1e9f, 1e9f);
    return max.x > clip.x && max.y > clip.y && min.x < clip.z && min.y < clip.w;
}
}  // namespace

Probe& probe() {
    static Probe p;
    return p;
}

void Probe::begin_frame() {
    texts.clear();
    targets.clear();
    animating = false;
    dragging = false;
    scroll_layer = ScrollLayer{};
}

void Probe::add_text(std::string_view text, ImVec2 min, ImVec2 max) {
    if (ImGui::GetCurrentContext() && visible(min, max))
        texts.push_back({std::string(text), min, max});
}

void Probe::add_target(std::string_view label, ImVec2 min, ImVec2 max) {
    if (ImGui::GetCurrentContext() && visible(min, max))
        targets.push_back({std::string(label), min, max});
}

const ProbeItem* Probe::find_target(std::string_view label) const {
    for (const auto& t : targets) {
        if (t.text == label) return &t;
    }
    for (const auto& t : targets) {
        if (t.text.find(label) != std::string::npos) return &t;
    }
    return nullptr;
}

bool Probe::shows_text(std::string_view needle) const {
    std::string all;
    for (const auto& t : texts) {
        if (t.text.find(needle) != std::string::npos) return true;
        all += t.text;
    }
    // Wrapped text is drawn line by line: look across line joins too.
    return all.find(needle) != std::string::npos;
}

}  // namespace kiosk::ui
