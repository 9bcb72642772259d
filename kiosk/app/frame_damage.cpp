// Damage tracking for the software renderer: units as SDL groups them, tile hashes, the plan.
#include "frame_damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kiosk::app {

namespace {

uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDull;
}

uint64_t bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

// The clip rectangle as the software renderer gives it to SDL (whole pixels, truncated).
IRect sdl_clip(const ImVec4& c, ImVec2 off, int width, int height) {
    const float x0 = std::max(0.f, c.x - off.x), y0 = std::max(0.f, c.y - off.y);
    const float x1 = std::min(static_cast<float>(width), c.z - off.x);
    const float y1 = std::min(static_cast<float>(height), c.w - off.y);
    if (x1 <= x0 || y1 <= y0) return IRect{};
    const int ix = static_cast<int>(x0), iy = static_cast<int>(y0);
    return IRect{ix, iy, ix + static_cast<int>(x1 - x0), iy + static_cast<int>(y1 - y0)};
}

// SDL_SW_RenderGeometryRaw's grouping (SDL 2.26): a triangle and the one before it are drawn as
// one rectangle when they share two vertices, form an axis-aligned rectangle, have one colour and
// texture coordinates within range; otherwise the earlier one is drawn as a triangle.
bool sdl_quad(const ImDrawVert* v, const int prev[3], int k0, int k1, int k2) {
    int common = 0;
    for (int j = 0; j < 3; ++j)
        common += prev[j] == k0 || prev[j] == k1 || prev[j] == k2;
    if (common != 2) return false;
    const ImDrawVert &v0 = v[k0], &v1 = v[k1], &v2 = v[k2];
    int a, b;
    if (v0.pos.x <= v1.pos.x && v0.pos.y <= v1.pos.y)
        a = (v0.pos.x <= v2.pos.x && v0.pos.y <= v2.pos.y) ? k0 : k2;
    else
        a = (v1.pos.x <= v2.pos.x && v1.pos.y <= v2.pos.y) ? k1 : k2;
    if (v0.pos.x >= v1.pos.x && v0.pos.y >= v1.pos.y)
        b = (v0.pos.x >= v2.pos.x && v0.pos.y >= v2.pos.y) ? k0 : k2;
    else
        b = (v1.pos.x >= v2.pos.x && v1.pos.y >= v2.pos.y) ? k1 : k2;
    const int c = (k0 != a && k0 != b) ? k0 : (k1 != a && k1 != b) ? k1 : k2;
    const int c2 = (prev[0] != a && prev[0] != b)   ? prev[0]
                   : (prev[1] != a && prev[1] != b) ? prev[1]
                                                    : prev[2];
    auto rect_corner = [&](int k) {
        return (v[a].pos.x == v[k].pos.x && v[b].pos.y == v[k].pos.y) ||
               (v[a].pos.y == v[k].pos.y && v[b].pos.x == v[k].pos.x);
    };
    if (!rect_corner(c) || !rect_corner(c2)) return false;
    const ImU32 col = v[a].col;
    if (v[b].col != col || v[c].col != col || v[c2].col != col) return false;
    for (int k : {a, b, c, c2})
        if (!(v[k].uv.x >= 0.0f && v[k].uv.x <= 1.0f)) return false;
    return true;
}

void split_units(const ImDrawVert* v, const ImDrawIdx* idx, int count, std::vector<DrawUnit>& out) {
    out.clear();
    int prev[3] = {-1, -1, -1};
    int prev_at = 0;
    auto push = [&](int first, int n) {
        DrawUnit u;
        u.first = first, u.count = n;
        u.x0 = u.y0 = 1e30f, u.x1 = u.y1 = -1e30f;
        for (int i = first; i < first + n; ++i) {
            const ImVec2 p = v[idx[i]].pos;
            u.x0 = std::min(u.x0, p.x), u.y0 = std::min(u.y0, p.y);
            u.x1 = std::max(u.x1, p.x), u.y1 = std::max(u.y1, p.y);
        }
        out.push_back(u);
    };
    for (int i = 0; i + 2 < count; i += 3) {
        const int k0 = idx[i], k1 = idx[i + 1], k2 = idx[i + 2];
        if (prev[0] == -1) {
            prev[0] = k0, prev[1] = k1, prev[2] = k2, prev_at = i;
            continue;
        }
        if (sdl_quad(v, prev, k0, k1, k2)) {
            push(prev_at, 6);
            const ImDrawVert& a = v[idx[prev_at]];
            for (int j = prev_at + 1; j < prev_at + 6; ++j)
                if (v[idx[j]].uv.x != a.uv.x || v[idx[j]].uv.y != a.uv.y) out.back().blit = true;
            prev[0] = -1;
        } else {
            push(prev_at, 3);
            prev[0] = k0, prev[1] = k1, prev[2] = k2, prev_at = i;
        }
    }
    if (prev[0] != -1) push(prev_at, 3);
}

uint64_t unit_hash(const ImDrawVert* v, const ImDrawIdx* idx, const DrawUnit& u, ImTextureID tex,
                   float dy) {
    uint64_t h = mix(0x5151, reinterpret_cast<uintptr_t>(tex));
    if (u.count == 6) {
        // A rectangle: SDL draws it at whole pixels, truncating its position and size (a float
        // a hair apart between two frames, as sums at another scroll position give, draws the
        // same). Its texture coordinates and colour exactly.
        const auto trunc = [](float f) { return static_cast<uint64_t>(static_cast<int64_t>(f)); };
        h = mix(h, trunc(u.x0) | (trunc(u.y0) + static_cast<int64_t>(dy)) << 32);
        h = mix(h, trunc(u.x1 - u.x0) | trunc(u.y1 - u.y0) << 32);
        for (int i = u.first; i < u.first + u.count; ++i) {
            const ImDrawVert& p = v[idx[i]];
            h = mix(h, bits(p.uv.x) | (bits(p.uv.y) << 32));
            h = mix(h, p.col);
        }
        return h;
    }
    for (int i = u.first; i < u.first + u.count; ++i) {
        const ImDrawVert& p = v[idx[i]];
        h = mix(h, bits(p.pos.x) | (bits(p.pos.y + dy) << 32));
        h = mix(h, bits(p.uv.x) | (bits(p.uv.y) << 32));
        h = mix(h, p.col);
    }
    return h;
}

int floor_div(float a, int b) {
    return static_cast<int>(std::floor(a / static_cast<float>(b)));
}

}  // namespace

// A blit cut by a rectangle's edge (but not by its own clip) widens the rectangle to take it
// whole. True when any rectangle grew.
bool FrameDamage::grow_to_whole_blits(std::vector<IRect>& rects) const {
    bool any = false;
    for (IRect& d : rects) {
        for (int pass = 0; pass < 8; ++pass) {
            bool grew = false;
            for (const CommandUnits& c : commands_) {
                if (c.clip.x1 <= d.x0 || c.clip.x0 >= d.x1 || c.clip.y1 <= d.y0 ||
                    c.clip.y0 >= d.y1)
                    continue;
                for (const DrawUnit& u : c.units) {
                    if (!u.blit) continue;
                    const int bx0 = std::max(c.clip.x0, static_cast<int>(std::floor(u.x0)));
                    const int by0 = std::max(c.clip.y0, static_cast<int>(std::floor(u.y0)));
                    const int bx1 = std::min(c.clip.x1, static_cast<int>(std::ceil(u.x1)));
                    const int by1 = std::min(c.clip.y1, static_cast<int>(std::ceil(u.y1)));
                    if (bx1 <= d.x0 || bx0 >= d.x1 || by1 <= d.y0 || by0 >= d.y1) continue;
                    if (bx0 < d.x0 || by0 < d.y0 || bx1 > d.x1 || by1 > d.y1) {
                        d = IRect{std::min(d.x0, bx0), std::min(d.y0, by0), std::max(d.x1, bx1),
                                  std::max(d.y1, by1)};
                        grew = any = true;
                    }
                }
            }
            if (!grew) break;
        }
    }
    return any;
}

// Overlapping rectangles become their bounding box: each rectangle is drawn on its own, over
// paper, and a pixel two of them share would be drawn twice.
void FrameDamage::merge_overlaps(std::vector<IRect>& rects) {
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < rects.size() && !again; ++i)
            for (size_t j = i + 1; j < rects.size() && !again; ++j) {
                IRect& a = rects[i];
                const IRect& b = rects[j];
                if (a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0) continue;
                a = IRect{std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1),
                          std::max(a.y1, b.y1)};
                rects.erase(rects.begin() + static_cast<ptrdiff_t>(j));
                again = true;
            }
    }
}

void FrameDamage::split(const ImDrawData* data, int width, int height) {
    used_ = 0;
    const ImVec2 off = data->DisplayPos;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* list = data->CmdLists[n];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) continue;
            if (used_ == commands_.size()) commands_.emplace_back();
            CommandUnits& c = commands_[used_++];
            c.list = list;
            c.cmd = &cmd;
            c.clip = sdl_clip(cmd.ClipRect, off, width, height);
            c.scrolled = false;
            c.units.clear();
            if (c.clip.empty()) continue;
            split_units(list->VtxBuffer.Data + cmd.VtxOffset, list->IdxBuffer.Data + cmd.IdxOffset,
                        static_cast<int>(cmd.ElemCount), c.units);
            if (off.x != 0 || off.y != 0) {
                for (DrawUnit& u : c.units) {
                    u.x0 -= off.x, u.x1 -= off.x, u.y0 -= off.y, u.y1 -= off.y;
                }
            }
        }
    }
    commands_.resize(used_);
}

DamagePlan FrameDamage::plan(const ImDrawData* data, int width, int height, const ScrollHint& hint,
                             bool force_full) {
    DamagePlan out;
    const ImVec2 off = data->DisplayPos;
    const IRect layer = hint.valid ? sdl_clip(hint.clip, off, width, height) : IRect{};
    const bool has_layer = hint.valid && !layer.empty();
    split(data, width, height);

    // This frame's hashes.
    const int cols = (width + kTileW - 1) / kTileW, rows = (height + kTileH - 1) / kTileH;
    screen_.assign(static_cast<size_t>(cols) * rows, 0x1234);
    layer_cols_ = has_layer ? (layer.x1 - layer.x0 + kTileW - 1) / kTileW : 0;
    layer_row0_ = has_layer ? floor_div(static_cast<float>(hint.offset), kTileH) : 0;
    const int layer_rows =
        has_layer ? floor_div(static_cast<float>(hint.offset + layer.y1 - layer.y0 - 1), kTileH) -
                        layer_row0_ + 1
                  : 0;
    layer_.assign(static_cast<size_t>(layer_cols_) * std::max(0, layer_rows), 0x4321);
    const float content_dy = static_cast<float>(hint.offset - layer.y0);  // screen y -> content
    for (CommandUnits& c : commands_) {
        const ImDrawList* list = c.list;
        const ImDrawCmd& cmd = *c.cmd;
        c.scrolled = has_layer && cmd.ClipRect.x == hint.clip.x && cmd.ClipRect.y == hint.clip.y &&
                     cmd.ClipRect.z == hint.clip.z && cmd.ClipRect.w == hint.clip.w;
        const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
        const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
        const uint64_t clip_hash = mix(mix(c.clip.x0, c.clip.y0), mix(c.clip.x1, c.clip.y1));
        for (const DrawUnit& u : c.units) {
            const float x0 = std::max(u.x0, static_cast<float>(c.clip.x0));
            const float y0 = std::max(u.y0, static_cast<float>(c.clip.y0));
            const float x1 = std::min(u.x1, static_cast<float>(c.clip.x1));
            const float y1 = std::min(u.y1, static_cast<float>(c.clip.y1));
            if (x1 < x0 || y1 < y0) continue;
            if (!c.scrolled) {
                const uint64_t h = mix(unit_hash(v, idx, u, cmd.GetTexID(), 0), clip_hash);
                const int tx0 = std::max(0, floor_div(x0, kTileW));
                const int tx1 = std::min(cols - 1, floor_div(x1, kTileW));
                const int ty0 = std::max(0, floor_div(y0, kTileH));
                const int ty1 = std::min(rows - 1, floor_div(y1, kTileH));
                for (int ty = ty0; ty <= ty1; ++ty)
                    for (int tx = tx0; tx <= tx1; ++tx) {
                        uint64_t& t = screen_[static_cast<size_t>(ty) * cols + tx];
                        t = mix(t, h);
                    }
            }
            if (!has_layer) continue;
            // In the layer: by content position; a fixed primitive over it also by the offset
            // (where it lies on the content changes with every scroll).
            const float lx0 = std::max(x0, static_cast<float>(layer.x0));
            const float ly0 = std::max(y0, static_cast<float>(layer.y0));
            const float lx1 = std::min(x1, static_cast<float>(layer.x1) - 0.001f);
            const float ly1 = std::min(y1, static_cast<float>(layer.y1) - 0.001f);
            if (lx1 < lx0 || ly1 < ly0) continue;
            const uint64_t h = c.scrolled
                                   ? unit_hash(v, idx, u, cmd.GetTexID(), content_dy)
                                   : mix(mix(unit_hash(v, idx, u, cmd.GetTexID(), 0), clip_hash),
                                         static_cast<uint64_t>(hint.offset) + 0x77);
            const int cx0 = floor_div(lx0 - static_cast<float>(layer.x0), kTileW);
            const int cx1 =
                std::min(layer_cols_ - 1, floor_div(lx1 - static_cast<float>(layer.x0), kTileW));
            const int r0 = std::max(0, floor_div(ly0 + content_dy, kTileH) - layer_row0_);
            const int r1 =
                std::min(layer_rows - 1, floor_div(ly1 + content_dy, kTileH) - layer_row0_);
            // A fixed solid rectangle covering a tile whole (a window's background, say) paints
            // it one colour wherever the content lies: that tile's hash need not move with it.
            const bool solid = !c.scrolled && u.count == 6 && !u.blit;
            const uint64_t solid_h =
                solid ? mix(mix(0x50110, v[idx[u.first]].col), bits(v[idx[u.first]].uv.x)) : 0;
            for (int r = r0; r <= r1; ++r) {
                const float top =
                    static_cast<float>(layer.y0 + (layer_row0_ + r) * kTileH - hint.offset);
                const float ty0 = std::max(top, static_cast<float>(layer.y0));
                const float ty1 = std::min(top + kTileH, static_cast<float>(layer.y1));
                for (int cx = std::max(0, cx0); cx <= cx1; ++cx) {
                    uint64_t& t = layer_[static_cast<size_t>(r) * layer_cols_ + cx];
                    const float tx0 = static_cast<float>(layer.x0 + cx * kTileW);
                    const float tx1 = std::min(tx0 + kTileW, static_cast<float>(layer.x1));
                    const bool covers = solid && x0 <= tx0 && x1 >= tx1 && y0 <= ty0 && y1 >= ty1;
                    t = mix(t, covers ? solid_h : h);
                }
            }
        }
    }

    const IRect last_layer =
        last_hint_.valid ? sdl_clip(last_hint_.clip, off, width, height) : IRect{};
    const bool same_layer =
        has_layer == (last_hint_.valid && !last_layer.empty()) &&
        (!has_layer || (layer.x0 == last_layer.x0 && layer.y0 == last_layer.y0 &&
                        layer.x1 == last_layer.x1 && layer.y1 == last_layer.y1));
    const int dy = has_layer ? hint.offset - last_hint_.offset : 0;
    out.full = force_full || !have_last_ || width != width_ || height != height_ || !same_layer ||
               (has_layer && std::abs(dy) >= layer.y1 - layer.y0);
    if (!out.full) {
        out.layer = layer;
        out.dy = dy;
        for (int ty = 0; ty < rows; ++ty)
            for (int tx = 0; tx < cols; ++tx) {
                const size_t i = static_cast<size_t>(ty) * cols + tx;
                if (screen_[i] != last_screen_[i])
                    out.rects.push_back(IRect{tx * kTileW, ty * kTileH,
                                              std::min(width, (tx + 1) * kTileW),
                                              std::min(height, (ty + 1) * kTileH)});
            }
        if (has_layer) {
            const int last_rows = static_cast<int>(last_layer_.size()) / std::max(1, layer_cols_);
            for (int r = 0; r < layer_rows; ++r) {
                const int row = layer_row0_ + r;
                const int top = layer.y0 + row * kTileH - hint.offset;  // on screen now
                const int last_top = top + dy;                          // on screen then
                // Kept only when the whole tile showed then and shows now: edge tiles and what
                // scrolled into view are drawn.
                const bool whole =
                    dy == 0 || (top >= layer.y0 && top + kTileH <= layer.y1 &&
                                last_top >= layer.y0 && last_top + kTileH <= layer.y1);
                const int lr = row - last_layer_row0_;
                for (int cx = 0; cx < layer_cols_; ++cx) {
                    const bool same = whole && lr >= 0 && lr < last_rows &&
                                      layer_[static_cast<size_t>(r) * layer_cols_ + cx] ==
                                          last_layer_[static_cast<size_t>(lr) * layer_cols_ + cx];
                    if (same) continue;
                    IRect t{layer.x0 + cx * kTileW, std::max(layer.y0, top),
                            std::min(layer.x1, layer.x0 + (cx + 1) * kTileW),
                            std::min(layer.y1, top + kTileH)};
                    if (!t.empty()) out.rects.push_back(t);
                }
            }
        }
        // Fewer, larger rectangles: join neighbours on a row, then equal spans on rows below.
        std::sort(out.rects.begin(), out.rects.end(), [](const IRect& a, const IRect& b) {
            return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
        });
        std::vector<IRect> joined;
        for (const IRect& r : out.rects) {
            if (!joined.empty() && joined.back().y0 == r.y0 && joined.back().y1 == r.y1 &&
                joined.back().x1 >= r.x0)
                joined.back().x1 = std::max(joined.back().x1, r.x1);
            else
                joined.push_back(r);
        }
        out.rects.clear();
        for (const IRect& r : joined) {
            bool merged = false;
            for (IRect& o : out.rects) {
                if (o.x0 == r.x0 && o.x1 == r.x1 && o.y1 == r.y0) {
                    o.y1 = r.y1;
                    merged = true;
                    break;
                }
            }
            if (!merged) out.rects.push_back(r);
        }
        // Until stable: a blit cut by a rectangle's edge (but not by its own clip) widens the
        // rectangle to take it whole; overlapping rectangles become their bounding box.
        for (int round = 0; round < 8; ++round) {
            const size_t before = out.rects.size();
            const bool grew = grow_to_whole_blits(out.rects);
            merge_overlaps(out.rects);
            if (!grew && out.rects.size() == before) break;
        }
    }
    std::swap(screen_, last_screen_);
    std::swap(layer_, last_layer_);
    last_layer_row0_ = layer_row0_;
    last_hint_ = has_layer ? hint : ScrollHint{};
    width_ = width, height_ = height;
    have_last_ = true;
    return out;
}

}  // namespace kiosk::app
