// Handwriting input for the on-screen keyboard: strokes on a pad in, Chinese candidates out.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace zinnia {
class Recognizer;
}

namespace kiosk::ime {

// A position on the writing pad: (0, 0) is the top left corner, (width, height) the bottom right.
struct Point {
    float x = 0;
    float y = 0;
};

// What the user wrote: strokes in the order they were drawn, each from finger down to finger up.
// Any pad size and shape. The engine reads one character through a square as wide as the pad's
// shorter side (placed over the ink on a wide or tall pad), scaled to the recognizer's square
// without stretching: write about as tall as a landscape pad, as wide as a portrait one.
struct Ink {
    float width = 0;
    float height = 0;
    std::vector<std::vector<Point>> strokes;
};

// Builds Ink from raw touch samples, one list per stroke. Drops samples that are not finite and
// samples within min_distance of the last one kept (finger jitter and repeated motion events add
// nothing to a shape), but keeps each stroke's last sample, where the finger lifted. Strokes left
// with no samples are dropped; a tap stays a one-point stroke (a dot is a stroke: 丶).
Ink make_ink(float width, float height, const std::vector<std::vector<Point>>& touches,
             float min_distance = 2.0f);

// The handwriting pad's view of zinnia with the tegaki simplified-Chinese model (6,763 GB2312
// characters). Typical use from a UI frame, after each stroke:
//
//   auto candidates = engine.classify(make_ink(pad_w, pad_h, touches));
//   if (candidates) show(*candidates);  // best first; empty while the pad is empty
//
// Open once and keep it: opening maps a 27 MB model. Move-only; the engine closes the model
// when destroyed. Thread-compatible: classify() changes nothing, but zinnia promises no thread
// safety, so give each thread its own engine (they share the model's pages through the mmap).
class HandwritingEngine {
public:
    // Debian package tegaki-zinnia-simplified-chinese.
    static constexpr const char* kDefaultModel =
        "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";
    // The most complex GB2312 characters have about 30 strokes; later strokes are ignored.
    static constexpr size_t kMaxStrokes = 64;
    // Longer strokes are resampled evenly to this many points (first and last kept).
    static constexpr size_t kMaxPointsPerStroke = 1000;

    // Error code "model": the model file is missing, unreadable or not a zinnia model; the
    // message names the file and the package that provides the default one.
    static Result<HandwritingEngine> open(const std::string& model_path = kDefaultModel);

    // Move-only; a moved-from engine has no model and classify() returns a "model" error.
    HandwritingEngine(HandwritingEngine&&) noexcept = default;
    HandwritingEngine& operator=(HandwritingEngine&&) noexcept = default;
    HandwritingEngine(const HandwritingEngine&) = delete;
    HandwritingEngine& operator=(const HandwritingEngine&) = delete;
    ~HandwritingEngine() = default;

    // Up to max_candidates characters in UTF-8, best first. Ink with no finite points gives an
    // empty list. Points outside the pad are moved to its edge; points that are not finite are
    // dropped. Error code "ink" when the pad size is not positive and finite, "model" when the
    // engine was moved from, "recognizer" when zinnia fails (out of memory).
    Result<std::vector<std::string>> classify(const Ink& ink, size_t max_candidates = 10) const;

private:
    struct RecognizerDeleter {
        void operator()(zinnia::Recognizer* recognizer) const;
    };
    using RecognizerPtr = std::unique_ptr<zinnia::Recognizer, RecognizerDeleter>;

    explicit HandwritingEngine(RecognizerPtr recognizer) : recognizer_(std::move(recognizer)) {}

    RecognizerPtr recognizer_;
};

}  // namespace kiosk::ime
