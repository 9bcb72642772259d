// Benchmark: pinyin engine open time, per-keystroke latency and the decoder's memory.
//
// Usage: bench_pinyin [--rounds N] [--dict PATH]
// Types each of ~50 inputs a resident might search for one letter at a time, as the on-screen
// keyboard does (set_input with the letters so far, then the first candidate page of 10), and
// reports p50/p99 over all keystrokes.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "ime/pinyin_engine.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using kiosk::ime::PinyinEngine;

// What residents look up at a family-planning / civil-affairs kiosk.
const std::vector<std::string> kInputs = {
    "shenpi",      "shengyu",  "dengji",         "zhengming",     "shehuifuyangfei", "banli",
    "xiangzhen",   "fuwuzhan", "jihuashengyu",   "liudongrenkou", "hukou",           "shenfenzheng",
    "jiehunzheng", "chusheng", "yixuezhengming", "zaishengyu",    "erhai",           "sanhai",
    "yihai",       "fuqi",     "zinv",           "yiliao",        "baoxian",         "baoxiao",
    "butie",       "jiangli",  "fuzhu",          "dushengzinv",   "guangrongzheng",  "tuoyu",
    "yimiao",      "jiezhong", "yunqian",        "jiancha",       "mianfei",         "cailiao",
    "shenqing",    "shouli",   "shenhe",         "pizhun",        "shixian",         "gongzuori",
    "zixun",       "dianhua",  "tousu",          "jubao",         "chuli",           "xingzheng",
    "zhengce",     "tiaoli",   "banshizhinan",   "shenpichengxu", "weishengjiankang"};

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

}  // namespace

int main(int argc, char** argv) {
    int rounds = 20;
    std::string dict = PinyinEngine::kDefaultDictionary;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
        if (std::strcmp(argv[i], "--dict") == 0) dict = argv[i + 1];
    }

    long rss_before = resident_kb();
    auto start = Clock::now();
    auto opened = PinyinEngine::open(dict);
    double open_ms = ms_since(start);
    if (!opened) {
        std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
        return 1;
    }
    PinyinEngine engine = std::move(opened).value();
    long rss_opened = resident_kb();

    std::vector<double> keystrokes;
    size_t letters = 0, shown = 0;
    for (int round = 0; round < rounds; ++round) {
        for (const std::string& word : kInputs) {
            engine.reset();
            for (size_t n = 1; n <= word.size(); ++n) {
                auto t = Clock::now();
                engine.set_input(word.substr(0, n));
                shown += engine.candidates(0, 10).size();
                keystrokes.push_back(ms_since(t));
                ++letters;
            }
        }
    }
    long rss_typed = resident_kb();

    // A commit and its follow-up words, as after tapping 审批.
    std::vector<double> commits;
    for (int round = 0; round < rounds; ++round) {
        engine.reset();
        engine.set_input("shenpi");
        auto t = Clock::now();
        auto committed = engine.choose(0);
        shown += engine.predictions(10).size();
        commits.push_back(ms_since(t));
        if (!committed) return 1;
    }

    std::printf("pinyin dictionary: %s\n", dict.c_str());
    std::printf("open: %.2f ms\n", open_ms);
    std::printf("rss: +%ld KB after open, +%ld KB after typing\n", rss_opened - rss_before,
                rss_typed - rss_before);
    std::printf("keystroke (set_input + candidates(0,10)): %zu keystrokes over %zu inputs x %d\n",
                letters, kInputs.size(), rounds);
    std::printf("keystroke p50: %.3f ms\n", percentile(keystrokes, 50));
    std::printf("keystroke p99: %.3f ms\n", percentile(keystrokes, 99));
    std::printf("keystroke max: %.3f ms\n", percentile(keystrokes, 100));
    std::printf("commit + predictions(10) p50: %.3f ms, p99: %.3f ms\n", percentile(commits, 50),
                percentile(commits, 99));
    std::printf("candidates shown: %zu\n", shown);
    return 0;
}
