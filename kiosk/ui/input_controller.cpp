// The keyboard's input methods: pinyin composition over googlepinyin (no learning) and
// handwriting over zinnia; both offer candidates, and a chosen one is committed as text.
#include "input_controller.hpp"

namespace kiosk::ui {

Status InputController::open(const std::string& dictionary) {
    static ime::PinyinEngine* shared = nullptr;  // deliberately never closed: see the header
    if (!shared) {
        auto engine = ime::PinyinEngine::open(dictionary);
        if (!engine) return engine.error();
        shared = new ime::PinyinEngine(std::move(*engine));
    }
    engine_ = shared;
    engine_->reset();
    view_.available = true;
    return {};
}

Status InputController::open_handwriting(const std::string& model) {
    static ime::HandwritingEngine* shared = nullptr;
    if (!shared) {
        auto engine = ime::HandwritingEngine::open(model);
        if (!engine) return engine.error();
        shared = new ime::HandwritingEngine(std::move(*engine));
    }
    writer_ = shared;
    refresh_view();
    return {};
}

void InputController::reset() {
    if (engine_) engine_->reset();
    ink_ = ime::Ink{};
    written_.clear();
    refresh_view();
}

void InputController::recognise() {
    written_.clear();
    if (writer_ && !ink_.strokes.empty()) {
        auto got = writer_->classify(ink_, 10);
        if (got) written_ = std::move(*got);
    }
}

bool InputController::handle_handwriting(const Action& action, Actions& out) {
    if (const auto* stroke = std::get_if<PadStroke>(&action)) {
        std::vector<ime::Point> pts;
        for (const auto& p : stroke->points)
            pts.push_back(ime::Point{p[0], p[1]});
        if (pts.empty()) return true;
        if (ink_.strokes.size() >= ime::HandwritingEngine::kMaxStrokes) return true;
        ink_.width = stroke->width, ink_.height = stroke->height;
        ink_.strokes.push_back(std::move(pts));
        recognise();
        refresh_view();
        return true;
    }
    if (std::holds_alternative<PadUndo>(action)) {
        if (!ink_.strokes.empty()) ink_.strokes.pop_back();
        recognise();
        refresh_view();
        return true;
    }
    if (std::holds_alternative<PadClear>(action)) {
        ink_.strokes.clear();
        written_.clear();
        refresh_view();
        return true;
    }
    if (const auto* pick = std::get_if<PickCandidate>(&action)) {
        // One character at a time: the chosen one is typed and the pad is ready for the next.
        if (pick->index < written_.size()) out.push_back(Commit{written_[pick->index]});
        ink_.strokes.clear();
        written_.clear();
        refresh_view();
        return true;
    }
    if (std::holds_alternative<CandidatePage>(action)) return true;
    return false;
}

void InputController::refresh_view() {
    bool keep_first = view_.predictions == false;
    size_t first = keep_first ? view_.first : 0;
    view_ = ImeView{};
    view_.available = engine_ != nullptr;
    view_.handwriting_available = writer_ != nullptr;
    view_.ink_w = ink_.width, view_.ink_h = ink_.height;
    for (const auto& stroke : ink_.strokes) {
        view_.ink.emplace_back();
        for (const auto& p : stroke)
            view_.ink.back().push_back({p.x, p.y});
    }
    if (!written_.empty()) {
        view_.total = written_.size();
        view_.candidates = written_;
        return;
    }
    if (!engine_) return;
    if (engine_->composing()) {
        view_.preedit = engine_->preedit();
        view_.total = engine_->candidate_count();
        view_.first = first < view_.total ? first : 0;
        view_.candidates = engine_->candidates(view_.first, kCandidatesPerPage);
    }
}

bool InputController::handle(const AppState& state, const Action& action, Actions& out) {
    if (const auto* key = std::get_if<Key>(&action); key && key->key.rfind("mode:", 0) == 0) {
        reset();  // a half-written character or spelling does not follow into another mode
        return false;
    }
    if (state.keyboard.mode == InputMode::handwriting) return handle_handwriting(action, out);
    if (std::holds_alternative<PadStroke>(action)) return true;
    if (!engine_ || state.keyboard.mode != InputMode::pinyin) return false;
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
