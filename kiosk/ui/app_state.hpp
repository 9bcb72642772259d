// The kiosk's UI state and the actions that change it: screens read state, apply() changes it.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace kiosk::ui {

enum class ScreenId { no_content, attract, home, category, document, search };

// The name replay scripts use in `expect-screen NAME`.
const char* screen_name(ScreenId id);

struct Place {
    ScreenId screen = ScreenId::attract;
    std::string category;  // category screen
    std::string document;  // document screen
    float scroll = 0;      // restored when coming back
};

// The search screen's text. Pinyin being composed lives in the input controller, not here.
struct SearchState {
    enum class Mode { pinyin, abc, digits };
    Mode mode = Mode::pinyin;
    std::string text;       // what is searched for
    uint64_t edits = 0;     // bumped on every change, so results know they are stale
    double since_edit = 0;  // seconds since the last change: results wait for a pause
};

// Keys of the on-screen keyboard: "a".."z", "0".."9", "space", "backspace", "clear",
// "mode:pinyin", "mode:abc", "mode:digits".
inline constexpr size_t kMaxSearchChars = 40;

struct AppState {
    std::vector<Place> history{Place{}};  // never empty; back() is the current place
    bool large_text = false;
    bool has_content = false;
    // Idle handling: seconds since the last touch; the countdown shows after idle_timeout_s.
    double idle_s = 0;
    int idle_timeout_s = 90;
    int countdown_s = 10;
    SearchState search;
    // Bumped whenever the view should start over (scroll positions, transient widget state).
    uint64_t generation = 0;

    const Place& here() const { return history.back(); }
    Place& here() { return history.back(); }
    bool counting_down() const {
        return here().screen != ScreenId::attract && idle_s >= idle_timeout_s;
    }
    double countdown_left() const { return idle_timeout_s + countdown_s - idle_s; }
};

struct Touched {};  // any touch: resets the idle clock, cancels the countdown
struct Start {};    // leave the attract screen
struct GoHome {};
struct GoBack {};
struct OpenCategory {
    std::string id;
};
struct OpenDocument {
    std::string id;
};
struct ToggleLargeText {};
struct Elapsed {
    double seconds;
};  // time passed without a touch
struct ContentAvailable {
    bool available;
};
struct SaveScroll {
    float scroll;
};

struct OpenSearch {};
struct Key {
    std::string key;  // a key of the on-screen keyboard (see above)
};
struct PickCandidate {
    size_t index;  // a pinyin candidate, counted from the first
};
struct CandidatePage {
    int delta;  // +1 next page, -1 previous
};
struct Commit {
    std::string text;  // text the input method fixed (a chosen candidate)
};

using Action = std::variant<Touched, Start, GoHome, GoBack, OpenCategory, OpenDocument,
                            ToggleLargeText, Elapsed, ContentAvailable, SaveScroll, OpenSearch, Key,
                            PickCandidate, CandidatePage, Commit>;

// What screens record while drawing; applied in order after the frame.
using Actions = std::vector<Action>;

void apply(AppState& state, const Action& action);

// Wipes everything a person did: history, large text, scroll. Used when the idle countdown ends.
void reset_to_attract(AppState& state);

}  // namespace kiosk::ui
