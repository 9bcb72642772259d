// Handwriting recognition over zinnia: pad strokes cleaned, scaled into its square and classified.
#include "ime/handwriting_engine.hpp"

#include <zinnia.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <utility>

namespace kiosk::ime {

namespace {

// zinnia's coordinate space. The tegaki model does not care about the size (zinnia divides by
// it), only about where in the square the strokes are.
constexpr int kBox = 300;

// Candidates asked for beyond max_candidates, so that one dropped as unprintable still leaves
// a full list.
constexpr size_t kSpareCandidates = 4;

struct IntPoint {
    int x;
    int y;
    bool operator==(const IntPoint& o) const { return x == o.x && y == o.y; }
};

// zinnia's own stroke geometry (feature.cpp in zinnia 0.06), reproduced with the same float
// arithmetic so that we choose exactly the points it would. Why: zinnia splits each stroke at
// its farthest point from the chord, recursively, and stores split number id at index id in a
// vector (children 2id+1, 2id+2) that grows as 2^depth. A spiral or a scribble splits dozens of
// levels deep: the vector asks for gigabytes and more, and the process gets std::bad_alloc or
// is killed (seen with a 2,000-point spiral). Its features only read indices 0..50 (depth <= 5),
// which depend only on the split points at depth <= 4. Keeping just those points leaves every
// feature, and so every score, unchanged (checked on 300 random noisy characters: identical
// candidates and scores), and stops its recursion at depth 5: no point is left in between.
constexpr int kLastSplitDepth = 4;

struct ZinniaNode {
    float x;
    float y;
};

// The squared distance from the line first-last of the farthest point in [first, last), as
// zinnia's minimum_distance computes it; that point goes to *best.
float farthest_from_chord(const ZinniaNode* first, const ZinniaNode* last,
                          const ZinniaNode** best) {
    if (first == last) return 0.0f;
    const float a = last->x - first->x;
    const float b = last->y - first->y;
    const float c = last->y * first->x - last->x * first->y;
    float max = -1.0f;
    for (const ZinniaNode* n = first; n != last; ++n) {
        const float dist = std::fabs((a * n->y) - (b * n->x) + c);
        if (dist > max) {
            max = dist;
            *best = n;
        }
    }
    return max * max / (a * a + b * b);
}

void mark_splits(const ZinniaNode* first, const ZinniaNode* last, int depth, const ZinniaNode* base,
                 std::vector<bool>& keep) {
    if (depth > kLastSplitDepth) return;
    const ZinniaNode* best = nullptr;
    const float dist = farthest_from_chord(first, last, &best);
    static const float kError = 0.001f;  // zinnia's threshold, same type
    if (dist > kError && best != nullptr) {
        keep[static_cast<size_t>(best - base)] = true;
        mark_splits(first, best, depth + 1, base, keep);
        mark_splits(best, last, depth + 1, base, keep);
    }
}

// The stroke reduced to its ends and zinnia's split points down to kLastSplitDepth.
std::vector<IntPoint> zinnia_vertices(const std::vector<IntPoint>& stroke) {
    if (stroke.size() <= 2) return stroke;
    std::vector<ZinniaNode> nodes(stroke.size());
    for (size_t i = 0; i < stroke.size(); ++i) {
        // zinnia: 1.0 * x / width, in double, stored as float.
        nodes[i].x = static_cast<float>(1.0 * stroke[i].x / static_cast<size_t>(kBox));
        nodes[i].y = static_cast<float>(1.0 * stroke[i].y / static_cast<size_t>(kBox));
    }
    std::vector<bool> keep(stroke.size(), false);
    keep.front() = keep.back() = true;
    mark_splits(&nodes.front(), &nodes.back(), 0, nodes.data(), keep);
    std::vector<IntPoint> out;
    for (size_t i = 0; i < stroke.size(); ++i)
        if (keep[i]) out.push_back(stroke[i]);
    return out;
}

// Evenly spaced samples, first and last included, so a long stroke keeps its whole shape.
template <class P> std::vector<P> resample(const std::vector<P>& stroke, size_t count) {
    if (stroke.size() <= count || count < 2) return stroke;
    std::vector<P> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i)
        out.push_back(stroke[i * (stroke.size() - 1) / (count - 1)]);
    return out;
}

bool finite(Point p) {
    return std::isfinite(p.x) && std::isfinite(p.y);
}

using PadStroke = std::vector<Point>;

// The strokes zinnia will see, still in pad coordinates: finite points only, moved onto the
// pad, duplicates in a row removed, long strokes resampled, at most kMaxStrokes, none empty.
std::vector<PadStroke> clean_strokes(const Ink& ink) {
    std::vector<PadStroke> strokes;
    for (const auto& raw : ink.strokes) {
        if (strokes.size() == HandwritingEngine::kMaxStrokes) break;
        PadStroke stroke;
        for (Point p : raw) {
            if (!finite(p)) continue;
            p = {std::clamp(p.x, 0.0f, ink.width), std::clamp(p.y, 0.0f, ink.height)};
            if (stroke.empty() || stroke.back().x != p.x || stroke.back().y != p.y)
                stroke.push_back(p);
        }
        if (stroke.empty()) continue;
        strokes.push_back(resample(stroke, HandwritingEngine::kMaxPointsPerStroke));
    }
    return strokes;
}

// Pad coordinates to zinnia's square. The model learned characters that fill a square box, so
// the pad is read through a square window with the pad's shorter side, one scale for both axes:
// a character on a wide pad is about as tall as the pad, and mapping the whole width into the
// square would shrink it into a different character. The window sits over the middle of the
// ink along the longer side, so writing off centre reads the same; on a square pad it is the
// pad. Ink wider than the window is pressed onto the window's edge.
class PadWindow {
public:
    PadWindow(float width, float height, const std::vector<PadStroke>& strokes)
        : side_(std::min(width, height)), scale_(static_cast<float>(kBox) / side_) {
        float min_x = width, max_x = 0, min_y = height, max_y = 0;
        for (const auto& stroke : strokes) {
            for (Point p : stroke) {
                min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
                min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
            }
        }
        left_ = std::clamp((min_x + max_x - side_) / 2, 0.0f, width - side_);
        top_ = std::clamp((min_y + max_y - side_) / 2, 0.0f, height - side_);
    }

    IntPoint operator()(Point p) const { return {to_box(p.x - left_), to_box(p.y - top_)}; }

private:
    int to_box(float offset) const {
        return std::clamp(static_cast<int>(std::lround(offset * scale_)), 0, kBox);
    }

    float side_, scale_;
    float left_ = 0, top_ = 0;
};

// What zinnia is given for one stroke: the points its features use.
std::vector<IntPoint> box_stroke(const PadStroke& stroke, const PadWindow& window) {
    std::vector<IntPoint> out;
    for (Point p : stroke) {
        IntPoint q = window(p);
        if (out.empty() || !(out.back() == q)) out.push_back(q);
    }
    return zinnia_vertices(out);
}

// One code point from UTF-8 at s[i], advancing i; false on any invalid or overlong sequence,
// surrogate or value above U+10FFFF.
bool next_code_point(const std::string& s, size_t& i, char32_t& cp) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    size_t extra = 0;
    char32_t min = 0;
    if (lead < 0x80) {
        cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
        cp = lead & 0x1F, extra = 1, min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        cp = lead & 0x0F, extra = 2, min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        cp = lead & 0x07, extra = 3, min = 0x10000;
    } else {
        return false;
    }
    if (s.size() - i - 1 < extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    i += 1 + extra;
    return cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

// A candidate the UI can show as a button: valid UTF-8 with no control characters. The model
// file is data from a package, and a damaged one must not put garbage on screen.
bool printable(const std::string& s) {
    if (s.empty()) return false;
    for (size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        if (!next_code_point(s, i, cp)) return false;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return false;
    }
    return true;
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

struct CharacterDeleter {
    void operator()(zinnia::Character* c) const { delete c; }
};

struct ResultDeleter {
    void operator()(zinnia::Result* r) const { delete r; }
};

std::string model_error(const std::string& path, const std::string& problem) {
    std::string message = "handwriting model " + path + " " + problem;
    if (path == HandwritingEngine::kDefaultModel)
        message += "; install the Debian package tegaki-zinnia-simplified-chinese";
    return message;
}

}  // namespace

Ink make_ink(float width, float height, const std::vector<std::vector<Point>>& touches,
             float min_distance) {
    Ink ink{width, height, {}};
    const float min_squared = min_distance * min_distance;
    for (const auto& samples : touches) {
        std::vector<Point> stroke;
        Point last_seen{};
        bool dropped_last = false;
        for (Point p : samples) {
            if (!finite(p)) continue;
            last_seen = p;
            if (!stroke.empty()) {
                const float dx = p.x - stroke.back().x, dy = p.y - stroke.back().y;
                dropped_last = dx * dx + dy * dy < min_squared;
                if (dropped_last) continue;
            }
            stroke.push_back(p);
        }
        // Where the finger lifted ends the stroke, even if it moved only a little.
        if (dropped_last && (last_seen.x != stroke.back().x || last_seen.y != stroke.back().y))
            stroke.push_back(last_seen);
        if (!stroke.empty()) ink.strokes.push_back(std::move(stroke));
    }
    return ink;
}

void HandwritingEngine::RecognizerDeleter::operator()(zinnia::Recognizer* recognizer) const {
    delete recognizer;  // closes the model (unmaps it)
}

Result<HandwritingEngine> HandwritingEngine::open(const std::string& model_path) {
    // Checked here because zinnia's own message says only "no such file or directory".
    std::error_code ec;
    if (!std::filesystem::is_regular_file(model_path, ec))
        return make_error("model", model_error(model_path, "is missing or not a file"));
    {
        std::unique_ptr<std::FILE, FileCloser> probe(std::fopen(model_path.c_str(), "rb"));
        if (!probe) {
            return make_error(
                "model",
                model_error(model_path, "cannot be read: " + std::string(std::strerror(errno))));
        }
    }
    try {
        RecognizerPtr recognizer(zinnia::Recognizer::create());
        if (!recognizer->open(model_path.c_str())) {
            return make_error("model",
                              model_error(model_path, "is not a zinnia model (" +
                                                          std::string(recognizer->what()) + ")"));
        }
        if (recognizer->size() == 0)
            return make_error("model", model_error(model_path, "holds no characters"));
        HandwritingEngine engine(std::move(recognizer));
        // The model is mmapped; classifying one dot maps its pages now, at startup, instead of
        // making the first stroke a user draws several times slower than the rest.
        Ink dot{1, 1, {{Point{0.5f, 0.5f}}}};
        (void)engine.classify(dot, 1);
        return engine;
    } catch (const std::exception& e) {
        return make_error("model",
                          model_error(model_path, "could not be opened: " + std::string(e.what())));
    }
}

Result<std::vector<std::string>> HandwritingEngine::classify(const Ink& ink,
                                                             size_t max_candidates) const {
    if (!recognizer_)
        return make_error("model", "this handwriting engine has no model (it was moved from)");
    std::vector<std::string> candidates;
    const bool any_point = std::any_of(ink.strokes.begin(), ink.strokes.end(), [](const auto& s) {
        return std::any_of(s.begin(), s.end(), finite);
    });
    if (!any_point || max_candidates == 0) return candidates;
    if (!(std::isfinite(ink.width) && std::isfinite(ink.height) && ink.width > 0 &&
          ink.height > 0)) {
        return make_error("ink", "the handwriting pad has no usable size (" +
                                     std::to_string(ink.width) + " x " +
                                     std::to_string(ink.height) + ")");
    }

    // zinnia is C++ and allocates; nothing it throws may leave the engine.
    try {
        const std::vector<PadStroke> strokes = clean_strokes(ink);
        const PadWindow window(ink.width, ink.height, strokes);
        std::unique_ptr<zinnia::Character, CharacterDeleter> character(zinnia::Character::create());
        character->set_width(kBox);
        character->set_height(kBox);
        // Stroke ids run 0, 1, 2… with no gap: zinnia refuses a character with an empty stroke.
        for (size_t id = 0; id < strokes.size(); ++id)
            for (IntPoint p : box_stroke(strokes[id], window))
                character->add(id, p.x, p.y);

        const size_t wanted = std::min(max_candidates, recognizer_->size());
        std::unique_ptr<zinnia::Result, ResultDeleter> result(
            recognizer_->classify(*character, wanted + kSpareCandidates));
        if (!result) return make_error("recognizer", "zinnia could not classify the strokes");
        for (size_t i = 0; i < result->size() && candidates.size() < wanted; ++i) {
            const char* value = result->value(i);
            if (value == nullptr) continue;
            // A model entry is a 16-byte slot; a damaged model may not terminate it.
            std::string text(value, ::strnlen(value, 16));
            if (printable(text)) candidates.push_back(std::move(text));
        }
    } catch (const std::exception& e) {
        return make_error("recognizer", std::string("zinnia failed: ") + e.what());
    }
    return candidates;
}

}  // namespace kiosk::ime
