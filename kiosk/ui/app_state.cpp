// apply(): the only place UI state changes; pure, so navigation and idle rules are unit-tested.
#include "app_state.hpp"

#include <cctype>

namespace kiosk::ui {

namespace {

constexpr size_t kMaxHistory = 32;

void go(AppState& s, Place place) {
    if (s.history.size() >= kMaxHistory) s.history.erase(s.history.begin() + 1);
    s.history.push_back(std::move(place));
    ++s.generation;
}

Place at(ScreenId screen, std::string category = {}, std::string document = {}) {
    Place p;
    p.screen = screen;
    p.category = std::move(category);
    p.document = std::move(document);
    return p;
}

template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;

// Appends without passing kMaxSearchChars code points.
void append(SearchState& q, const std::string& text) {
    size_t chars = 0;
    for (unsigned char c : q.text)
        chars += (c & 0xC0) != 0x80;
    for (size_t i = 0; i < text.size() && chars < kMaxSearchChars; ++chars) {
        size_t len = 1;
        while (i + len < text.size() && (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80)
            ++len;
        q.text.append(text, i, len);
        i += len;
    }
    ++q.edits;
    q.since_edit = 0;
}

void edit_search(SearchState& q, const std::string& key) {
    using Mode = SearchState::Mode;
    if (key == "mode:pinyin")
        q.mode = Mode::pinyin;
    else if (key == "mode:abc")
        q.mode = Mode::abc;
    else if (key == "mode:digits")
        q.mode = Mode::digits;
    else if (key == "clear") {
        q.text.clear();
        ++q.edits;
        q.since_edit = 0;
    } else if (key == "backspace") {
        if (q.text.empty()) return;
        size_t i = q.text.size() - 1;
        while (i > 0 && (static_cast<unsigned char>(q.text[i]) & 0xC0) == 0x80)
            --i;
        q.text.erase(i);
        ++q.edits;
        q.since_edit = 0;
    } else if (key == "space") {
        if (!q.text.empty() && q.text.back() != ' ') append(q, " ");
    } else if (key.size() == 1 && std::isalnum(static_cast<unsigned char>(key[0]))) {
        // Letters in pinyin mode go to the input method; here they are typed as they are.
        if (q.mode != Mode::pinyin || std::isdigit(static_cast<unsigned char>(key[0])))
            append(q, key);
    }
}

}  // namespace

const char* screen_name(ScreenId id) {
    switch (id) {
    case ScreenId::no_content:
        return "no-content";
    case ScreenId::attract:
        return "attract";
    case ScreenId::home:
        return "home";
    case ScreenId::category:
        return "category";
    case ScreenId::document:
        return "document";
    case ScreenId::search:
        return "search";
    }
    return "?";
}

void reset_to_attract(AppState& s) {
    s.history.assign(1, at(s.has_content ? ScreenId::attract : ScreenId::no_content));
    s.large_text = false;
    s.search = SearchState{};
    s.idle_s = 0;
    ++s.generation;
}

void apply(AppState& s, const Action& action) {
    std::visit(Overloaded{
                   [&](const Touched&) { s.idle_s = 0; },
                   [&](const Start&) {
                       if (!s.has_content) return;
                       s.history.assign(1, at(ScreenId::home));
                       ++s.generation;
                   },
                   [&](const GoHome&) {
                       if (!s.has_content) return;
                       s.history.assign(1, at(ScreenId::home));
                       ++s.generation;
                   },
                   [&](const GoBack&) {
                       if (s.history.size() > 1) {
                           s.history.pop_back();
                           ++s.generation;
                       } else if (s.here().screen != ScreenId::home && s.has_content) {
                           s.history.assign(1, at(ScreenId::home));
                           ++s.generation;
                       }
                   },
                   [&](const OpenCategory& a) {
                       if (s.has_content) go(s, at(ScreenId::category, a.id));
                   },
                   [&](const OpenDocument& a) {
                       if (s.has_content) go(s, at(ScreenId::document, s.here().category, a.id));
                   },
                   [&](const ToggleLargeText&) {
                       s.large_text = !s.large_text;
                       ++s.generation;
                   },
                   [&](const Elapsed& a) {
                       s.search.since_edit += a.seconds;
                       if (s.here().screen == ScreenId::attract ||
                           s.here().screen == ScreenId::no_content) {
                           s.idle_s = 0;
                           return;
                       }
                       s.idle_s += a.seconds;
                       if (s.idle_s >= s.idle_timeout_s + s.countdown_s) reset_to_attract(s);
                   },
                   [&](const ContentAvailable& a) {
                       bool was = s.has_content;
                       s.has_content = a.available;
                       if (!a.available) {
                           s.history.assign(1, at(ScreenId::no_content));
                           ++s.generation;
                       } else if (!was) {
                           s.history.assign(1, at(ScreenId::attract));
                           ++s.generation;
                       }
                   },
                   [&](const SaveScroll& a) { s.here().scroll = a.scroll; },
                   [&](const OpenSearch&) {
                       if (s.has_content && s.here().screen != ScreenId::search)
                           go(s, at(ScreenId::search));
                   },
                   [&](const Key& a) { edit_search(s.search, a.key); },
                   [&](const PickCandidate&) {},  // the input controller's business
                   [&](const CandidatePage&) {},
                   [&](const Commit& a) { append(s.search, a.text); },
               },
               action);
}

}  // namespace kiosk::ui
