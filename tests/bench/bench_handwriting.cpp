// Benchmark: handwriting engine open time, per-character recognition latency and the model's
// memory.
//
// Usage: bench_handwriting [--chars N] [--model PATH]
// Draws N synthetic characters (default 400) of 1 to 10 strokes, each stroke a polyline of 2 to 4
// corners sampled every 4 units with a little jitter, as a finger on a 300 x 300 pad would give,
// and classifies each for 10 candidates, as the pad does after every stroke. The same seed every
// run, so runs compare.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "ime/handwriting_engine.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using kiosk::ime::HandwritingEngine;
using kiosk::ime::Ink;
using kiosk::ime::Point;

// This thread's CPU time: on a machine shared with builds, wall time also counts waiting for a
// core.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long resident_kb() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// A fixed linear congruential generator: the same characters on every machine and libc.
struct Lcg {
    uint32_t state = 20240601;
    uint32_t next() { return state = state * 1664525u + 1013904223u; }
    float uniform(float lo, float hi) {
        return lo + (hi - lo) * static_cast<float>(next() >> 8) / static_cast<float>(1u << 24);
    }
};

Ink synthetic_character(Lcg& rng, int strokes) {
    Ink ink{300, 300, {}};
    for (int s = 0; s < strokes; ++s) {
        std::vector<Point> stroke;
        Point from{rng.uniform(30, 270), rng.uniform(30, 270)};
        stroke.push_back(from);
        const int corners = 2 + static_cast<int>(rng.next() % 3);
        for (int c = 1; c < corners; ++c) {
            const Point to{rng.uniform(30, 270), rng.uniform(30, 270)};
            const float length = std::hypot(to.x - from.x, to.y - from.y);
            const int steps = std::max(1, static_cast<int>(length / 4));
            for (int k = 1; k <= steps; ++k) {
                const float t = static_cast<float>(k) / static_cast<float>(steps);
                stroke.push_back({from.x + (to.x - from.x) * t + rng.uniform(-1, 1),
                                  from.y + (to.y - from.y) * t + rng.uniform(-1, 1)});
            }
            from = to;
        }
        ink.strokes.push_back(std::move(stroke));
    }
    return ink;
}

}  // namespace

int main(int argc, char** argv) {
    int chars = 400;
    std::string model = HandwritingEngine::kDefaultModel;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--chars") == 0) chars = std::max(1, std::atoi(argv[i + 1]));
        if (std::strcmp(argv[i], "--model") == 0) model = argv[i + 1];
    }

    long rss_before = resident_kb();
    auto start = Clock::now();
    auto opened = HandwritingEngine::open(model);
    double open_ms = ms_since(start);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
        return 1;
    }
    HandwritingEngine engine = std::move(opened).value();
    long rss_opened = resident_kb();

    Lcg rng;
    std::vector<Ink> inks;
    size_t points = 0;
    for (int i = 0; i < chars; ++i) {
        inks.push_back(synthetic_character(rng, 1 + i % 10));
        for (const auto& s : inks.back().strokes)
            points += s.size();
    }

    std::vector<double> all, cpu, ten_strokes;
    size_t shown = 0;
    double first_ms = 0;
    for (const Ink& ink : inks) {
        auto t = Clock::now();
        double cpu_start = thread_cpu_ms();
        auto candidates = engine.classify(ink, 10);
        cpu.push_back(thread_cpu_ms() - cpu_start);
        double ms = ms_since(t);
        if (!candidates) {
            std::fprintf(stderr, "classify: %s\n", candidates.error().message.c_str());
            return 1;
        }
        if (all.empty()) first_ms = ms;
        shown += candidates->size();
        all.push_back(ms);
        if (ink.strokes.size() == 10) ten_strokes.push_back(ms);
    }
    long rss_classified = resident_kb();

    std::printf("handwriting model: %s\n", model.c_str());
    std::printf("open (with warm-up): %.2f ms\n", open_ms);
    std::printf("rss: +%ld KB after open, +%ld KB after classifying\n", rss_opened - rss_before,
                rss_classified - rss_before);
    std::printf("character (classify, 10 candidates): %d characters of 1-10 strokes, %zu points\n",
                chars, points);
    std::printf("first character: %.3f ms\n", first_ms);
    std::printf("character p50: %.3f ms\n", percentile(all, 50));
    std::printf("character p99: %.3f ms\n", percentile(all, 99));
    std::printf("character max: %.3f ms\n", percentile(all, 100));
    std::printf("character cpu p50: %.3f ms, p99: %.3f ms\n", percentile(cpu, 50),
                percentile(cpu, 99));
    std::printf("10-stroke character p50: %.3f ms, p99: %.3f ms\n", percentile(ten_strokes, 50),
                percentile(ten_strokes, 99));
    std::printf("candidates shown: %zu\n", shown);
    return 0;
}
