// Pinyin input for the on-screen keyboard: letters in, Chinese candidates out (googlepinyin).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace kiosk::ime {

// The on-screen keyboard's view of googlepinyin. Typical use from a UI frame:
//
//   engine.set_input(engine.input() + "s");          // a letter key
//   for (auto& c : engine.candidates(page * 8, 8))   // the candidate bar
//   if (auto r = engine.choose(i); r && !engine.composing()) query += *r;
//
// No learning: the kiosk is shared by the public, so the decoder runs without a user
// dictionary. Choosing a candidate never changes later rankings, nothing is written to disk,
// and reset() forgets the current composition and prediction history.
//
// One per process: libgooglepinyin keeps its decoder in global variables, so a second decoder
// would silently replace the first. open() refuses while another engine is alive; the engine
// is move-only and closes the decoder when destroyed. Single-threaded: call from the UI thread.
//
// Open once and keep it: the packaged library (0.1.2) leaks ~190 KB of dictionary index on
// every close, so reopening per session would grow the process.
class PinyinEngine {
public:
    static constexpr const char* kDefaultDictionary =
        "/usr/lib/x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat";
    // Letters across the whole composition (fixed and unfixed); about six words of pinyin.
    static constexpr size_t kMaxLetters = 26;

    // Error code "ime": the dictionary is missing, unreadable or not a dictionary, or another
    // engine is open in this process.
    static Result<PinyinEngine> open(const std::string& dict_path = kDefaultDictionary);

    // Move-only; a moved-from engine does nothing and returns nothing.
    PinyinEngine(PinyinEngine&&) noexcept = default;
    PinyinEngine& operator=(PinyinEngine&&) noexcept = default;
    PinyinEngine(const PinyinEngine&) = delete;
    PinyinEngine& operator=(const PinyinEngine&) = delete;
    ~PinyinEngine() = default;

    // Replaces the unfixed letters; choices already fixed stay. Keeps a–z (A–Z folded) and "'"
    // between syllables; drops everything else, letters past kMaxLetters and letters that
    // cannot start or continue a syllable. Read input() back to see what was kept.
    void set_input(std::string_view letters);
    // Removes the last unfixed letter; with none left, turns the last choice back into letters.
    void backspace();
    // Forgets the composition, fixed text and prediction history.
    void reset();

    // The unfixed letters, as typed (after filtering).
    const std::string& input() const { return pending_; }
    // The unfixed letters split into syllables as the decoder reads them: "shen'pi".
    std::string preedit() const;
    // Chinese text fixed by partial choices, shown before the preedit.
    const std::string& fixed_text() const { return fixed_text_; }
    // True while there is unfixed input or fixed text waiting to be committed.
    bool composing() const { return !letters_.empty(); }

    // Candidate 0 is the decoder's guess for all the unfixed letters (with none left, the fixed
    // text itself, to commit); the rest are words for the first unfixed syllables, best first.
    // Every candidate is what would follow fixed_text().
    size_t candidate_count() const { return candidate_count_; }
    // Candidates [first, first + count), clipped to candidate_count(), in UTF-8.
    std::vector<std::string> candidates(size_t first, size_t count) const;
    // Fixes candidate `index`. When that consumes all input the text is committed: it is
    // returned, the composition is cleared (composing() is false) and predictions follow from
    // it. Otherwise the rest stays as input with new candidates and fixed_text() is returned.
    // Error code "ime" when index >= candidate_count().
    Result<std::string> choose(size_t index);

    // Words that often follow the last committed text, best first; empty while composing.
    std::vector<std::string> predictions(size_t max);
    // Commits prediction `index` (of the last predictions() list) and predicts from it.
    // Error code "ime" when there is no such prediction.
    Result<std::string> choose_prediction(size_t index);

private:
    // Holds the process's one decoder: closes it and frees the slot when destroyed.
    class DecoderLease {
    public:
        DecoderLease() = default;
        explicit DecoderLease(bool held) : held_(held) {}
        DecoderLease(DecoderLease&& other) noexcept;
        DecoderLease& operator=(DecoderLease&& other) noexcept;
        ~DecoderLease();
        bool held() const { return held_; }

    private:
        void release();
        bool held_ = false;
    };

    PinyinEngine() = default;
    // Reads letters, segmentation, fixed text and candidate count back from the decoder after
    // an operation that left `candidates` candidates, dropping letters it could not decode.
    // If the decoder's state no longer adds up, restarts the search once (when allowed).
    void sync_from_decoder(size_t candidates, bool may_restart = true);
    std::string commit(const std::u16string& text);
    void clear_composition();

    DecoderLease decoder_;
    std::string letters_;            // everything the decoder holds: fixed + unfixed
    std::string pending_;            // the unfixed tail of letters_
    std::vector<size_t> syllables_;  // syllable boundaries in pending_, from 0 to its end
    std::string fixed_text_;         // UTF-8
    size_t candidate_count_ = 0;
    std::u16string history_;  // the end of the last committed text, for predictions
    std::vector<std::u16string> predictions_;
    bool predictions_fresh_ = false;  // predictions_ were made from history_
    // Predicting reuses the decoder's search buffers, so the next search must start afresh.
    bool search_clobbered_ = false;
};

}  // namespace kiosk::ime
