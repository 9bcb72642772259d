// apply(): the only place UI state changes; pure, so navigation and idle rules are unit-tested.
#include "app_state.hpp"

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
    }
    return "?";
}

void reset_to_attract(AppState& s) {
    s.history.assign(1, at(s.has_content ? ScreenId::attract : ScreenId::no_content));
    s.large_text = false;
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
               },
               action);
}

}  // namespace kiosk::ui
