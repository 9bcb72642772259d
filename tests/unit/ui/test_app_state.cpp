// apply(): navigation, the idle countdown and the wipe, and what happens without content.
#include <doctest/doctest.h>

#include "ui/app_state.hpp"

using namespace kiosk::ui;

namespace {
AppState with_content() {
    AppState s;
    apply(s, ContentAvailable{true});
    return s;
}
}  // namespace

TEST_CASE("starting from the attract screen leads home, and categories and documents stack up") {
    AppState s = with_content();
    CHECK(s.here().screen == ScreenId::attract);
    apply(s, Start{});
    CHECK(s.here().screen == ScreenId::home);
    apply(s, OpenCategory{"guides"});
    apply(s, OpenDocument{"guide-a"});
    CHECK(s.here().screen == ScreenId::document);
    CHECK(s.here().category == "guides");
    CHECK(s.here().document == "guide-a");
    apply(s, GoBack{});
    CHECK(s.here().screen == ScreenId::category);
    apply(s, GoHome{});
    CHECK(s.here().screen == ScreenId::home);
    CHECK(s.history.size() == 1);
}

TEST_CASE("back on the first screen of a visit goes home, never to the attract screen") {
    AppState s = with_content();
    apply(s, Start{});
    apply(s, GoBack{});
    CHECK(s.here().screen == ScreenId::home);
}

TEST_CASE("a scroll position is restored when coming back") {
    AppState s = with_content();
    apply(s, Start{});
    apply(s, OpenCategory{"notices"});
    apply(s, SaveScroll{420});
    apply(s, OpenDocument{"n1"});
    apply(s, GoBack{});
    CHECK(s.here().scroll == 420);
}

TEST_CASE("the idle countdown starts after the timeout and a touch cancels it") {
    AppState s = with_content();
    apply(s, Start{});
    apply(s, OpenCategory{"fees"});
    apply(s, Elapsed{89});
    CHECK_FALSE(s.counting_down());
    apply(s, Elapsed{2});
    CHECK(s.counting_down());
    CHECK(s.countdown_left() == doctest::Approx(9));
    apply(s, Touched{});
    CHECK_FALSE(s.counting_down());
    CHECK(s.here().screen == ScreenId::category);
}

TEST_CASE("when the countdown runs out everything a person did is wiped") {
    AppState s = with_content();
    apply(s, Start{});
    apply(s, ToggleLargeText{});
    apply(s, OpenCategory{"fees"});
    apply(s, OpenDocument{"fees-a"});
    apply(s, SaveScroll{900});
    apply(s, Elapsed{100.5});
    CHECK(s.here().screen == ScreenId::attract);
    CHECK(s.history.size() == 1);
    CHECK_FALSE(s.large_text);
    CHECK(s.here().scroll == 0);
    CHECK(s.here().document.empty());
}

TEST_CASE("time on the attract screen never counts as idle") {
    AppState s = with_content();
    apply(s, Elapsed{10000});
    CHECK(s.here().screen == ScreenId::attract);
    CHECK(s.idle_s == 0);
}

TEST_CASE("without content the kiosk stays on the calm no-content screen") {
    AppState s;
    apply(s, ContentAvailable{false});
    CHECK(s.here().screen == ScreenId::no_content);
    apply(s, Start{});
    apply(s, OpenCategory{"policy"});
    CHECK(s.here().screen == ScreenId::no_content);
    apply(s, ContentAvailable{true});
    CHECK(s.here().screen == ScreenId::attract);
}

TEST_CASE("a long chain of links keeps a bounded history") {
    AppState s = with_content();
    apply(s, Start{});
    for (int i = 0; i < 500; ++i)
        apply(s, OpenDocument{"d" + std::to_string(i)});
    CHECK(s.history.size() <= 32);
    CHECK(s.history.front().screen == ScreenId::home);
    CHECK(s.here().document == "d499");
}

TEST_CASE("ABC and 123 keys type into the search text; pinyin letters wait for the input method") {
    AppState s = with_content();
    apply(s, Start{});
    apply(s, OpenSearch{});
    CHECK(s.here().screen == ScreenId::search);
    apply(s, Key{"a"});  // pinyin mode: a letter is the input method's
    CHECK(s.search.text.empty());
    apply(s, Key{"mode:abc"});
    apply(s, Key{"b"});
    apply(s, Key{"space"});
    apply(s, Key{"space"});  // never two spaces
    apply(s, Key{"mode:digits"});
    apply(s, Key{"1"});
    CHECK(s.search.text == "b 1");
    apply(s, Commit{"审批"});
    CHECK(s.search.text == "b 1审批");
    apply(s, Key{"backspace"});
    CHECK(s.search.text == "b 1审");  // a whole character, not a byte
    uint64_t edits = s.search.edits;
    apply(s, Key{"clear"});
    CHECK(s.search.text.empty());
    CHECK(s.search.edits > edits);
}

TEST_CASE("the search text is capped and wiped with everything else") {
    AppState s = with_content();
    apply(s, Start{});
    apply(s, OpenSearch{});
    for (int i = 0; i < 100; ++i)
        apply(s, Commit{"审"});
    CHECK(s.search.text.size() == kMaxSearchChars * 3);
    apply(s, Elapsed{200});
    CHECK(s.here().screen == ScreenId::attract);
    CHECK(s.search.text.empty());
    CHECK(s.keyboard.mode == InputMode::pinyin);
}
