// Pinyin input over libgooglepinyin: no user dictionary, one decoder per process.
#include "ime/pinyin_engine.hpp"

#include <pinyinime.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "ime/utf16.hpp"

namespace kiosk::ime {

namespace {

using ime_pinyin::char16;

// The decoder insists on a user-dictionary path and creates the file when it is missing. A path
// below /dev/null can never be opened or created (ENOTDIR, even for root), so the decoder runs
// with no user dictionary at all: nothing is learned, nothing is flushed to disk.
constexpr const char* kNoUserDictionary = "/dev/null/kiosk-no-user-dictionary";

// libgooglepinyin's decoder lives in globals; this marks it taken.
std::atomic<bool> g_decoder_taken{false};

// Room for the longest sentence the decoder builds (kMaxSearchSteps Hanzi) plus its terminator.
constexpr size_t kCandidateBuffer = ime_pinyin::kMaxSearchSteps + 8;

std::u16string to_u16(const char16* s, size_t max_len) {
    std::u16string out;
    for (size_t i = 0; i < max_len && s[i] != 0; ++i)
        out += static_cast<char16_t>(s[i]);
    return out;
}

std::u16string decoder_candidate(size_t index) {
    char16 buf[kCandidateBuffer] = {};
    if (ime_pinyin::im_get_candidate(index, buf, kCandidateBuffer) == nullptr) return {};
    return to_u16(buf, kCandidateBuffer);
}

// Keeps what the decoder can take: lowercase letters and single apostrophes between them.
std::string filter_letters(std::string_view typed, size_t room) {
    std::string out;
    for (char c : typed) {
        if (out.size() >= room) break;
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z') {
            out += c;
        } else if (c == '\'' && !out.empty() && out.back() != '\'') {
            // A leading apostrophe stops the decoder dead; a doubled one adds nothing.
            out += c;
        }
    }
    return out;
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

PinyinEngine::DecoderLease::DecoderLease(DecoderLease&& other) noexcept
    : held_(std::exchange(other.held_, false)) {}

PinyinEngine::DecoderLease& PinyinEngine::DecoderLease::operator=(DecoderLease&& other) noexcept {
    if (this != &other) {
        release();
        held_ = std::exchange(other.held_, false);
    }
    return *this;
}

PinyinEngine::DecoderLease::~DecoderLease() {
    release();
}

void PinyinEngine::DecoderLease::release() {
    if (!held_) return;
    // Closing flushes only the user dictionary, and there is none.
    ime_pinyin::im_close_decoder();
    held_ = false;
    g_decoder_taken.store(false);
}

Result<PinyinEngine> PinyinEngine::open(const std::string& dict_path) {
    if (g_decoder_taken.exchange(true)) {
        return make_error("ime", "a pinyin engine is already open; googlepinyin allows one "
                                 "decoder per process, so close the other engine first");
    }
    // Checked here because the library gives no reason, and a decoder that failed to load must
    // not be closed (its close dereferences the unloaded user dictionary's null file name).
    std::error_code ec;
    if (!std::filesystem::is_regular_file(dict_path, ec)) {
        g_decoder_taken.store(false);
        return make_error("ime", "pinyin dictionary " + dict_path + " is missing or not a file");
    }
    {
        std::unique_ptr<std::FILE, FileCloser> probe(std::fopen(dict_path.c_str(), "rb"));
        if (!probe) {
            std::string reason = std::strerror(errno);
            g_decoder_taken.store(false);
            return make_error("ime", "cannot read pinyin dictionary " + dict_path + ": " + reason);
        }
    }
    if (!ime_pinyin::im_open_decoder(dict_path.c_str(), kNoUserDictionary)) {
        // The half-built decoder is freed by the next successful open.
        g_decoder_taken.store(false);
        return make_error("ime", dict_path + " is not a googlepinyin dictionary");
    }
    PinyinEngine engine;
    engine.decoder_ = DecoderLease(true);
    return engine;
}

void PinyinEngine::set_input(std::string_view letters) {
    if (!decoder_.held()) return;
    const size_t fixed_letters = letters_.size() - pending_.size();
    std::string wanted = filter_letters(letters, kMaxLetters - fixed_letters);
    if (wanted == pending_) return;
    if (search_clobbered_) {
        ime_pinyin::im_reset_search();
        search_clobbered_ = false;
    }
    size_t count = candidate_count_;
    if (fixed_letters == 0) {
        if (wanted.empty()) {
            clear_composition();
            return;
        }
        // The decoder reuses the work for the prefix it already has.
        count = ime_pinyin::im_search(wanted.data(), wanted.size());
    } else {
        // Searching a string that ends at or before a fixed choice would undo that choice, so
        // delete back to the common prefix first (which keeps choices), then extend.
        size_t common = static_cast<size_t>(
            std::mismatch(pending_.begin(), pending_.end(), wanted.begin(), wanted.end()).first -
            pending_.begin());
        for (size_t k = pending_.size(); k > common; --k)
            count = ime_pinyin::im_delsearch(fixed_letters + k - 1, false, false);
        if (wanted.size() > common) {
            std::string all = letters_.substr(0, fixed_letters) + wanted;
            count = ime_pinyin::im_search(all.data(), all.size());
        }
    }
    sync_from_decoder(count);
}

void PinyinEngine::backspace() {
    if (!decoder_.held() || letters_.empty()) return;
    if (letters_.size() == 1) {
        clear_composition();
        return;
    }
    size_t count = pending_.empty() ? ime_pinyin::im_cancel_last_choice()
                                    : ime_pinyin::im_delsearch(letters_.size() - 1, false, false);
    sync_from_decoder(count);
}

void PinyinEngine::reset() {
    if (!decoder_.held()) return;
    clear_composition();
    history_.clear();
    predictions_.clear();
    predictions_fresh_ = false;
}

std::string PinyinEngine::preedit() const {
    std::string out;
    for (size_t k = 0; k + 1 < syllables_.size(); ++k) {
        std::string syllable = pending_.substr(syllables_[k], syllables_[k + 1] - syllables_[k]);
        syllable.erase(std::remove(syllable.begin(), syllable.end(), '\''), syllable.end());
        if (syllable.empty()) continue;
        if (!out.empty()) out += '\'';
        out += syllable;
    }
    if (!pending_.empty() && pending_.back() == '\'') out += '\'';
    return out;
}

std::vector<std::string> PinyinEngine::candidates(size_t first, size_t count) const {
    std::vector<std::string> out;
    if (!decoder_.held() || first >= candidate_count_) return out;
    const size_t end = first + std::min(count, candidate_count_ - first);
    const size_t fixed_units = utf8_to_utf16(fixed_text_).size();
    for (size_t i = first; i < end; ++i) {
        std::u16string text = decoder_candidate(i);
        // Candidate 0 is the whole sentence; show only what it adds to the fixed text.
        if (i == 0 && !pending_.empty() && text.size() > fixed_units) text.erase(0, fixed_units);
        out.push_back(utf16_to_utf8(text));
    }
    return out;
}

Result<std::string> PinyinEngine::choose(size_t index) {
    if (!decoder_.held() || index >= candidate_count_) {
        return make_error("ime", "candidate " + std::to_string(index) + " does not exist (" +
                                     std::to_string(candidate_count_) + " candidates)");
    }
    size_t count = ime_pinyin::im_choose(index);
    const ime_pinyin::uint16* starts = nullptr;
    size_t syllables = ime_pinyin::im_get_spl_start_pos(starts);
    if (ime_pinyin::im_get_fixed_len() >= syllables) return commit(decoder_candidate(0));
    sync_from_decoder(count);
    return fixed_text_;
}

std::vector<std::string> PinyinEngine::predictions(size_t max) {
    std::vector<std::string> out;
    if (!decoder_.held() || composing() || history_.empty()) return out;
    if (!predictions_fresh_) {
        std::vector<char16> history(history_.begin(), history_.end());
        history.push_back(0);
        char16(*found)[ime_pinyin::kMaxPredictSize + 1] = nullptr;
        size_t n = ime_pinyin::im_get_predicts(history.data(), found);
        search_clobbered_ = true;
        predictions_.clear();
        for (size_t i = 0; found != nullptr && i < n; ++i)
            predictions_.push_back(to_u16(found[i], ime_pinyin::kMaxPredictSize + 1));
        predictions_fresh_ = true;
    }
    for (size_t i = 0; i < predictions_.size() && i < max; ++i)
        out.push_back(utf16_to_utf8(predictions_[i]));
    return out;
}

Result<std::string> PinyinEngine::choose_prediction(size_t index) {
    if (!decoder_.held() || composing() || !predictions_fresh_ || index >= predictions_.size()) {
        return make_error("ime", "prediction " + std::to_string(index) + " does not exist");
    }
    return commit(predictions_[index]);
}

void PinyinEngine::sync_from_decoder(size_t candidates, bool may_restart) {
    size_t decoded = 0;
    const char* spelling = ime_pinyin::im_get_sps_str(&decoded);
    std::string all = spelling != nullptr ? spelling : "";
    // A letter the decoder could not place (an "i" typed first, say) stays unplaceable
    // whatever follows, so it is dropped rather than kept as dead input.
    for (size_t guard = 0; all.size() > decoded && guard <= kMaxLetters; ++guard) {
        candidates = ime_pinyin::im_delsearch(all.size() - 1, false, false);
        spelling = ime_pinyin::im_get_sps_str(&decoded);
        all = spelling != nullptr ? spelling : "";
    }
    if (all.empty() || decoded == 0) {
        clear_composition();
        return;
    }
    all.resize(decoded);

    const ime_pinyin::uint16* starts = nullptr;
    size_t syllables = ime_pinyin::im_get_spl_start_pos(starts);
    size_t fixed = ime_pinyin::im_get_fixed_len();
    bool consistent = starts != nullptr && syllables > 0 && fixed <= syllables && starts[0] == 0 &&
                      starts[syllables] == decoded;
    for (size_t k = 0; consistent && k < syllables; ++k)
        consistent = starts[k] < starts[k + 1];
    if (!consistent) {
        // Seen with fixed choices and letter soup such as "rmjnitfi": the decoder loses its
        // segmentation, and its next search would fail an assert inside the library (abort).
        // Starting the search afresh costs the fixed choices but keeps the letters.
        clear_composition();
        if (may_restart) {
            sync_from_decoder(ime_pinyin::im_search(all.data(), all.size()), false);
        }
        return;
    }

    letters_ = all;
    const size_t fixed_letters = starts[fixed];
    pending_ = letters_.substr(fixed_letters);
    syllables_.clear();
    for (size_t k = fixed; k <= syllables; ++k)
        syllables_.push_back(starts[k] - fixed_letters);
    fixed_text_ = fixed > 0 ? utf16_to_utf8(decoder_candidate(0).substr(0, fixed)) : "";
    candidate_count_ = candidates;
}

std::string PinyinEngine::commit(const std::u16string& text) {
    // Prediction looks at the last few characters only (kMaxPredictSize).
    const size_t keep = ime_pinyin::kMaxPredictSize;
    history_ = text.size() > keep ? text.substr(text.size() - keep) : text;
    predictions_fresh_ = false;
    clear_composition();
    return utf16_to_utf8(text);
}

void PinyinEngine::clear_composition() {
    ime_pinyin::im_reset_search();
    search_clobbered_ = false;
    letters_.clear();
    pending_.clear();
    syllables_.clear();
    fixed_text_.clear();
    candidate_count_ = 0;
}

}  // namespace kiosk::ime
