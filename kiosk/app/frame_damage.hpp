// Which parts of the screen a frame changes, for the software renderer: it keeps the last frame's
// pixels, moves those of a scroll area by the distance scrolled, and draws again only the
// rectangles whose content differs. Content is compared by hashing, per tile, every primitive
// that touches the tile (positions, texture coordinates, colours, texture, clip), in draw order.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace kiosk::app {

struct IRect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool empty() const { return x1 <= x0 || y1 <= y0; }
};

// What SDL's software renderer draws as one thing: two triangles forming an axis-aligned
// rectangle (a blit or a fill), or a lone triangle. A contiguous run of these drawn alone gives
// the same pixels as the whole command, so a damaged rectangle can skip the rest.
struct DrawUnit {
    int first = 0, count = 0;  // indices [first, first + count) of the command
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    // A textured rectangle: SDL blits it, and a scaled blit cut by a clip rectangle samples the
    // texture a little differently from one drawn whole, so a damaged area takes it whole.
    bool blit = false;
};

struct CommandUnits {
    const ImDrawList* list = nullptr;
    const ImDrawCmd* cmd = nullptr;
    IRect clip;             // on screen, in whole pixels as SDL clips
    bool scrolled = false;  // clipped to the scroll layer: moves with its content
    std::vector<DrawUnit> units;
};

struct ScrollHint {
    ImVec4 clip{0, 0, 0, 0};
    int offset = 0;
    bool valid = false;
};

struct DamagePlan {
    bool full = true;  // draw everything (first frame, new size, textures changed...)
    IRect layer;       // the scroll layer's pixels (when dy != 0)
    int dy = 0;        // move them up by dy (down when negative) before drawing
    std::vector<IRect> rects;
};

class FrameDamage {
public:
    // Splits the draw data into units and plans the frame against the last one planned.
    DamagePlan plan(const ImDrawData* data, int width, int height, const ScrollHint& hint,
                    bool force_full);
    const std::vector<CommandUnits>& commands() const { return commands_; }

private:
    static constexpr int kTileW = 128, kTileH = 32;
    void split(const ImDrawData* data, int width, int height);
    bool grow_to_whole_blits(std::vector<IRect>& rects) const;
    static void merge_overlaps(std::vector<IRect>& rects);
    std::vector<CommandUnits> commands_;
    size_t used_ = 0;
    // Screen tiles (pixels outside the layer) and layer tiles (by content row, so they can be
    // compared after a scroll), this frame and the last.
    std::vector<uint64_t> screen_, last_screen_;
    std::vector<uint64_t> layer_, last_layer_;
    int layer_row0_ = 0, last_layer_row0_ = 0, layer_cols_ = 0;
    int width_ = 0, height_ = 0;
    ScrollHint last_hint_;
    bool have_last_ = false;
};

}  // namespace kiosk::app
