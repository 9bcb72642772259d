// The on-screen keyboard's input method: turns key actions into pinyin composition and
// candidates. The one stateful piece of input; screens only read its view.
#pragma once

#include <string>
#include <vector>

#include "app_state.hpp"
#include "ime/handwriting_engine.hpp"
#include "ime/pinyin_engine.hpp"

namespace kiosk::ui {

// What the candidate bar shows.
struct ImeView {
    bool available = false;  // the pinyin dictionary could be opened
    std::string preedit;     // letters being composed, as the decoder segments them ("shen'pi")
    std::vector<std::string> candidates;  // the current page
    size_t first = 0;                     // index of candidates[0] in the whole list
    size_t total = 0;
    bool predictions = false;  // the candidates are follow-up words after a choice
    // Handwriting: the strokes written so far on the pad (pad coordinates), for drawing them.
    bool handwriting_available = false;
    std::vector<std::vector<std::array<float, 2>>> ink;
    float ink_w = 0, ink_h = 0;
};

inline constexpr size_t kCandidatesPerPage = 6;

class InputController {
public:
    // Opens the pinyin dictionary; without it the keyboard offers ABC and 123 only.
    Status open(const std::string& dictionary = ime::PinyinEngine::kDefaultDictionary);
    // Opens the handwriting model; without it the 手写 key says it is unavailable.
    Status open_handwriting(const std::string& model = ime::HandwritingEngine::kDefaultModel);

    // Handles a keyboard action that belongs to the input method and returns true; other
    // actions (and keys typed directly, as in ABC mode) are left to apply(). Text the input
    // method fixes is recorded as a Commit action in `out`.
    bool handle(const AppState& state, const Action& action, Actions& out);

    // Forgets everything typed (a new person).
    void reset();
    const ImeView& view() const { return view_; }

private:
    void refresh_view();
    bool handle_handwriting(const Action& action, Actions& out);
    void recognise();

    // googlepinyin's decoder is one per process and frees its dictionary badly on close, so the
    // kiosk opens it once and keeps it for the life of the process (shared by all controllers).
    ime::PinyinEngine* engine_ = nullptr;
    ime::HandwritingEngine* writer_ = nullptr;  // kept for the process too (27 MB model, 24 ms)
    ime::Ink ink_;
    std::vector<std::string> written_;  // candidates for the ink
    ImeView view_;
};

}  // namespace kiosk::ui
