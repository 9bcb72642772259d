// Touch widgets. Scrolling is our own, not ImGui's, so it can follow a finger and overshoot.
#include "widgets.hpp"

#include <imgui_internal.h>  // the white pixel for hand-built shapes

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "probe.hpp"

namespace kiosk::ui {

namespace {

// One axis of finger scrolling: it follows the finger once it has moved past the slop, keeps
// moving with inertia after release, and springs back when pulled past an end.
struct ScrollArea {
    unsigned long long key = ~0ull;
    float offset = 0, velocity = 0;
    float content = 0, view = 0;  // lengths along the axis
    bool pressed = false, dragging = false;
    ImVec2 press_pos;
    float press_offset = 0;
};

std::unordered_map<ImGuiID, ScrollArea>& areas() {
    static std::unordered_map<ImGuiID, ScrollArea> a;
    return a;
}

ScrollArea* g_current = nullptr;
float g_content_top = 0;
ScrollArea* g_current_pan = nullptr;
// A sideways drag that has taken the finger (set while it lasts): the page yields to it. And a
// page drag under way: no sideways strip may take the finger then.
ImGuiID g_pan_owner = 0;
bool g_page_dragging = false;

enum class Axis { x, y };

// Advances one area by this frame's input. `may_start`: whether a drag may begin now.
void kinetic_step(ScrollArea& a, Axis axis, bool inside, bool may_start, const Metrics& m) {
    ImGuiIO& io = ImGui::GetIO();
    const float dt = std::max(1e-3f, io.DeltaTime);
    const float max_offset = std::max(0.0f, a.content - a.view);
    if (io.MouseClicked[0] && inside) {
        a.pressed = true;
        a.dragging = false;
        a.press_pos = io.MousePos;
        a.press_offset = a.offset;
        a.velocity = 0;
    }
    if (a.pressed) {
        const float dx = io.MousePos.x - a.press_pos.x, dy = io.MousePos.y - a.press_pos.y;
        const float along = axis == Axis::y ? dy : dx, across = axis == Axis::y ? dx : dy;
        const bool sideways = axis == Axis::x;
        if (!a.dragging && may_start && std::fabs(along) > 14 * m.unit &&
            (!sideways || std::fabs(along) > std::fabs(across)))
            a.dragging = true;
        if (a.dragging) {
            float target = a.press_offset - along;
            // Elastic edge: beyond the ends the content follows the finger at a third of the pace.
            if (target < 0) target *= 0.35f;
            if (target > max_offset) target = max_offset + (target - max_offset) * 0.35f;
            a.velocity = 0.6f * a.velocity + 0.4f * (target - a.offset) / dt;
            a.offset = target;
            probe().dragging = true;
        }
        if (!io.MouseDown[0]) a.pressed = false;  // released: this frame still counts as a drag
        return;
    }
    a.dragging = false;
    if (axis == Axis::y && io.MouseWheel != 0 && inside) a.offset -= io.MouseWheel * 3 * m.body_px;
    a.offset += a.velocity * dt;
    a.velocity *= std::exp(-4.0f * dt);
    const float clamped = std::clamp(a.offset, 0.0f, max_offset);
    if (clamped != a.offset) {
        a.offset += (clamped - a.offset) * std::min(1.0f, dt * 14);
        a.velocity *= 0.5f;
        if (std::fabs(clamped - a.offset) < 0.5f) a.offset = clamped;
    }
    if (std::fabs(a.velocity) > 8 || a.offset != clamped)
        probe().animating = true;
    else
        a.velocity = 0;
}

ScrollArea& area(const char* id, unsigned long long reset_key, float initial_offset) {
    ScrollArea& a = areas()[ImGui::GetID(id)];
    if (a.key != reset_key) {
        a = ScrollArea{};
        a.key = reset_key;
        a.offset = initial_offset;
    }
    return a;
}

bool mouse_in(ImVec2 min, ImVec2 size) {
    const ImVec2 p = ImGui::GetIO().MousePos;
    return p.x >= min.x && p.y >= min.y && p.x < min.x + size.x && p.y < min.y + size.y;
}

void draw_centered(ImDrawList* dl, std::string_view label, const TextStyle& st, ImVec2 min,
                   ImVec2 max) {
    float w = text_width(label, st);
    float avail = max.x - min.x - st.px * 0.6f;
    ImVec2 pos(min.x + std::max(st.px * 0.3f, (max.x - min.x - w) / 2),
               min.y + (max.y - min.y - st.px * 1.1f) / 2);
    TextStyle s = st;
    (void)dl;
    draw_line_clipped(label, s, pos, avail);
}

}  // namespace

constexpr float kPi = 3.14159265358979f;

void fill_rounded(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 color, float radius,
                  ImDrawFlags corners) {
    // Whole pixels: the bands must meet exactly, or the software renderer leaves a hairline gap.
    min = ImVec2(std::round(min.x), std::round(min.y));
    max = ImVec2(std::round(max.x), std::round(max.y));
    radius = std::round(std::min(radius, std::min(max.x - min.x, max.y - min.y) * 0.5f));
    if (radius < 1) {
        dl->AddRectFilled(min, max, color);
        return;
    }
    const float r = radius;
    const bool tl = corners & ImDrawFlags_RoundCornersTopLeft;
    const bool tr = corners & ImDrawFlags_RoundCornersTopRight;
    const bool bl = corners & ImDrawFlags_RoundCornersBottomLeft;
    const bool br = corners & ImDrawFlags_RoundCornersBottomRight;
    // The middle band, full width, and the top and bottom bands between the corners (a square
    // corner is part of its band).
    dl->AddRectFilled(ImVec2(min.x, min.y + r), ImVec2(max.x, max.y - r), color);
    dl->AddRectFilled(ImVec2(min.x + (tl ? r : 0), min.y), ImVec2(max.x - (tr ? r : 0), min.y + r),
                      color);
    dl->AddRectFilled(ImVec2(min.x + (bl ? r : 0), max.y - r), ImVec2(max.x - (br ? r : 0), max.y),
                      color);
    // Each corner: a solid fan from a point 1 px inside the bands (overlapping them, so no gap can
    // show), and a one-pixel fringe fading out along the arc only. ImGui's own anti-aliasing
    // would also fringe the straight edges, which the software renderer shows as faint seams.
    const ImVec2 uv = ImGui::GetDrawListSharedData()->TexUvWhitePixel;
    const ImU32 clear = color & ~IM_COL32_A_MASK;
    const int n = std::max(2, dl->_CalcCircleAutoSegmentCount(r) / 4);
    auto corner = [&](ImVec2 c, float a0, float dx, float dy) {
        dl->PrimReserve(n * 9, 2 * (n + 1) + 1);
        const auto base = static_cast<ImDrawIdx>(dl->_VtxCurrentIdx);
        dl->PrimWriteVtx(ImVec2(c.x + dx, c.y + dy), uv, color);
        for (int i = 0; i <= n; ++i) {
            const float a = a0 + kPi * 0.5f * static_cast<float>(i) / static_cast<float>(n);
            const float ca = std::cos(a), sa = std::sin(a);
            dl->PrimWriteVtx(ImVec2(c.x + ca * (r - 0.5f), c.y + sa * (r - 0.5f)), uv, color);
            dl->PrimWriteVtx(ImVec2(c.x + ca * (r + 0.5f), c.y + sa * (r + 0.5f)), uv, clear);
        }
        for (int i = 0; i < n; ++i) {
            const ImDrawIdx in0 = static_cast<ImDrawIdx>(base + 1 + 2 * i);
            const ImDrawIdx out0 = static_cast<ImDrawIdx>(in0 + 1);
            const ImDrawIdx in1 = static_cast<ImDrawIdx>(in0 + 2);
            const ImDrawIdx out1 = static_cast<ImDrawIdx>(in0 + 3);
            dl->PrimWriteIdx(base), dl->PrimWriteIdx(in0), dl->PrimWriteIdx(in1);
            dl->PrimWriteIdx(in0), dl->PrimWriteIdx(out0), dl->PrimWriteIdx(out1);
            dl->PrimWriteIdx(in0), dl->PrimWriteIdx(out1), dl->PrimWriteIdx(in1);
        }
    };
    if (tl) corner(ImVec2(min.x + r, min.y + r), kPi, 1, 1);
    if (tr) corner(ImVec2(max.x - r, min.y + r), kPi * 1.5f, -1, 1);
    if (br) corner(ImVec2(max.x - r, max.y - r), 0, -1, -1);
    if (bl) corner(ImVec2(min.x + r, max.y - r), kPi * 0.5f, 1, -1);
}

bool button(const char* id, std::string_view label, ImVec2 size, const TextStyle& text,
            ButtonLook look) {
    ImVec2 min = ImGui::GetCursorScreenPos();
    bool released = ImGui::InvisibleButton(id, size);
    bool held = ImGui::IsItemActive() && !probe().dragging;
    ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float r = size.y * 0.18f;
    ImU32 fill, ink;
    switch (look) {
    case ButtonLook::bar:
        fill = held ? IM_COL32(120, 40, 10, 255) : IM_COL32(140, 50, 14, 255);
        ink = color::on_bar;
        break;
    case ButtonLook::accent:
        fill = held ? IM_COL32(150, 70, 10, 255) : color::accent;
        ink = color::on_bar;
        break;
    default:
        fill = held ? color::surface_pressed : color::surface;
        ink = color::text;
        fill_rounded(dl, ImVec2(min.x, min.y + 3), ImVec2(max.x, max.y + 3), color::shadow, r);
    }
    fill_rounded(dl, min, max, fill, r);
    if (look == ButtonLook::plain) dl->AddRect(min, max, color::border, r, 0, 2);
    TextStyle st = text;
    st.color = ink;
    draw_centered(dl, label, st, min, max);
    probe().add_target(label, min, max);
    return released && !probe().dragging;
}

bool tile(const char* id, std::string_view title, std::string_view subtitle,
          std::string_view corner, ImVec2 size, const TextStyle& title_style,
          const TextStyle& sub_style) {
    ImVec2 min = ImGui::GetCursorScreenPos();
    bool released = ImGui::InvisibleButton(id, size);
    bool held = ImGui::IsItemActive() && !probe().dragging;
    ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float r = 20 * title_style.px / 62;
    fill_rounded(dl, ImVec2(min.x, min.y + 4), ImVec2(max.x, max.y + 4), color::shadow, r);
    fill_rounded(dl, min, max, held ? color::surface_pressed : color::surface, r);
    fill_rounded(dl, min, ImVec2(min.x + 14 * title_style.px / 62, max.y), color::accent, r,
                 ImDrawFlags_RoundCornersLeft);
    float pad = title_style.px * 0.55f;
    float inner = size.x - pad * 2 - 14;
    draw_line_clipped(title, title_style, ImVec2(min.x + pad + 14, min.y + pad * 0.9f), inner);
    TextStyle sub = sub_style;
    sub.color = color::text_muted;
    float sub_y = min.y + pad * 0.9f + title_style.px * 1.35f;
    float room = max.y - pad * 0.3f - sub.px * 1.3f - sub_y;  // keep the corner line free
    if (corner.empty()) room += sub.px * 1.3f;
    int lines = static_cast<int>(room / line_height(sub));
    draw_wrapped_at(subtitle, sub, ImVec2(min.x + pad + 14, sub_y), inner, std::min(lines, 3));
    if (!corner.empty()) {
        float w = text_width(corner, sub);
        draw_line_clipped(corner, sub, ImVec2(max.x - pad - w, max.y - pad * 0.5f - sub.px * 1.1f),
                          w + 2);
    }
    probe().add_target(title, min, max);
    return released && !probe().dragging;
}

float begin_scroll(const char* id, ImVec2 size, const Metrics& m, unsigned long long reset_key,
                   float initial_offset) {
    ScrollArea& a = area(id, reset_key, initial_offset);
    const ImVec2 min = ImGui::GetCursorScreenPos();
    if (g_pan_owner && a.pressed) {
        // A sideways strip inside has taken this touch: undo any start of a page drag.
        if (a.dragging) a.offset = a.press_offset;
        a.pressed = a.dragging = false;
        a.velocity = 0;
    }
    kinetic_step(a, Axis::y, mouse_in(min, size), !g_pan_owner, m);
    g_page_dragging = a.dragging;
    a.view = size.y;
    ImGui::BeginChild(id, size, false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                          ImGuiWindowFlags_NoBackground);
    // Whole pixels: the content then moves by whole pixels and looks the same after a scroll,
    // so the software renderer can move what it drew last frame rather than draw it again.
    const float drawn = std::round(a.offset);
    ImGui::SetCursorPosY(-drawn);
    g_content_top = ImGui::GetCursorScreenPos().y;
    g_current = &a;
    const ImVec2 cmin = ImGui::GetWindowDrawList()->GetClipRectMin();
    const ImVec2 cmax = ImGui::GetWindowDrawList()->GetClipRectMax();
    ScrollLayer& layer = probe().scroll_layer;
    const float area = (cmax.x - cmin.x) * (cmax.y - cmin.y);
    if (!layer.valid || area > (layer.clip.z - layer.clip.x) * (layer.clip.w - layer.clip.y))
        layer = ScrollLayer{ImVec4(cmin.x, cmin.y, cmax.x, cmax.y), drawn, true};
    return drawn;
}

void end_scroll(const Metrics& m) {
    ScrollArea& a = *g_current;
    a.content = ImGui::GetCursorScreenPos().y - g_content_top;
    // The position indicator: a calm bar on the right edge, shown when there is more to read.
    if (a.content > a.view + 1) {
        ImVec2 wmin = ImGui::GetWindowPos();
        ImVec2 wsize = ImGui::GetWindowSize();
        float track = wsize.y - 16 * m.unit;
        float thumb = std::max(48 * m.unit, track * a.view / a.content);
        float t = std::clamp(a.offset / (a.content - a.view), 0.0f, 1.0f);
        float y = wmin.y + 8 * m.unit + (track - thumb) * t;
        float x = wmin.x + wsize.x - 10 * m.unit;
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, y), ImVec2(x + 6 * m.unit, y + thumb),
                                                  IM_COL32(120, 110, 100, 140), 3 * m.unit);
    }
    ImGui::Dummy(ImVec2(1, 1));
    ImGui::EndChild();
    g_current = nullptr;
}

float begin_pan(const char* id, ImVec2 size, float content_w, const Metrics& m,
                unsigned long long reset_key) {
    ScrollArea& a = area(id, reset_key, 0);
    const ImGuiID gid = ImGui::GetID(id);
    const ImVec2 min = ImGui::GetCursorScreenPos();
    a.content = content_w;
    a.view = size.x;
    kinetic_step(a, Axis::x, mouse_in(min, size), !g_page_dragging, m);
    if (a.dragging)
        g_pan_owner = gid;
    else if (g_pan_owner == gid && !a.pressed)
        g_pan_owner = 0;
    ImGui::BeginChild(id, size, false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                          ImGuiWindowFlags_NoBackground);
    g_current_pan = &a;
    return a.offset;
}

void end_pan(const Metrics& m) {
    ScrollArea& a = *g_current_pan;
    // The position indicator along the bottom edge.
    ImVec2 wmin = ImGui::GetWindowPos();
    ImVec2 wsize = ImGui::GetWindowSize();
    float track = wsize.x - 16 * m.unit;
    float thumb = std::max(48 * m.unit, track * a.view / std::max(a.content, a.view));
    float t = a.content > a.view ? std::clamp(a.offset / (a.content - a.view), 0.0f, 1.0f) : 0;
    float x = wmin.x + 8 * m.unit + (track - thumb) * t;
    float y = wmin.y + wsize.y - 10 * m.unit;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, y), ImVec2(x + thumb, y + 6 * m.unit),
                                              IM_COL32(120, 110, 100, 140), 3 * m.unit);
    ImGui::EndChild();
    g_current_pan = nullptr;
}

void reset_scroll_areas() {
    areas().clear();
    g_pan_owner = 0;
    g_page_dragging = false;
}

}  // namespace kiosk::ui
