// Pinyin composition for the search keyboard, over the core's googlepinyin engine (no learning).
#include "input_controller.hpp"

namespace kiosk::ui {

Status InputController::open() {
    static ime::PinyinEngine* shared = nullptr;  // deliberately never closed: see the header
    if (!shared) {
        auto engine = ime::PinyinEngine::open();
        if (!engine) return engine.error();
        shared = new ime::PinyinEngine(std::move(*engine));
    }
    engine_ = shared;
    engine_->reset();
    view_.available = true;
    return {};
}

void InputController::reset() {
    if (engine_) engine_->reset();
    refresh_view();
}

void InputController::refresh_view() {
    bool keep_first = view_.predictions == false;
    size_t first = keep_first ? view_.first : 0;
    view_ = ImeView{};
    view_.available = engine_ != nullptr;
    if (!engine_) return;
    if (engine_->composing()) {
        view_.preedit = engine_->preedit();
        view_.total = engine_->candidate_count();
        view_.first = first < view_.total ? first : 0;
        view_.candidates = engine_->candidates(view_.first, kCandidatesPerPage);
    }
}

bool InputController::handle(const AppState& state, const Action& action, Actions& out) {
    if (!engine_ || state.search.mode != SearchState::Mode::pinyin) return false;
    if (const auto* key = std::get_if<Key>(&action)) {
        const std::string& k = key->key;
        if (k.size() == 1 && k[0] >= 'a' && k[0] <= 'z') {
            engine_->set_input(engine_->input() + k);
            view_.first = 0;
            view_.predictions = false;
            refresh_view();
            return true;
        }
        if (k == "backspace" && engine_->composing()) {
            engine_->backspace();
            refresh_view();
            return true;
        }
        if (k == "clear" || k.rfind("mode:", 0) == 0) reset();  // and apply() does its part
        if (k == "space" && engine_->composing()) {
            // Space takes the first candidate, as on a phone keyboard.
            return handle(state, PickCandidate{view_.first}, out);
        }
        return false;
    }
    if (const auto* pick = std::get_if<PickCandidate>(&action)) {
        if (view_.predictions) {
            auto text = engine_->choose_prediction(pick->index);
            if (text) out.push_back(Commit{*text});
        } else {
            auto text = engine_->choose(pick->index);
            if (text && !engine_->composing()) out.push_back(Commit{*text});
        }
        refresh_view();
        if (!engine_->composing()) {
            // After a whole word: offer what usually follows it.
            auto next = engine_->predictions(kCandidatesPerPage * 3);
            if (!next.empty()) {
                view_.predictions = true;
                view_.total = next.size();
                view_.first = 0;
                view_.candidates.assign(next.begin(),
                                        next.begin() + std::min(next.size(), kCandidatesPerPage));
            }
        }
        return true;
    }
    if (const auto* page = std::get_if<CandidatePage>(&action)) {
        if (view_.predictions || view_.total == 0) return true;
        long next =
            static_cast<long>(view_.first) + page->delta * static_cast<long>(kCandidatesPerPage);
        if (next >= 0 && static_cast<size_t>(next) < view_.total)
            view_.first = static_cast<size_t>(next);
        refresh_view();
        return true;
    }
    return false;
}

}  // namespace kiosk::ui
