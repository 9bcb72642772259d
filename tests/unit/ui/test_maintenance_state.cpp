// The hidden gesture and the maintenance screen's state: only the hold plus the exact sequence
// opens the PIN pad; a wrong PIN stays on the pad; leaving and the idle countdown wipe it all.
#include <doctest/doctest.h>

#include "ui/app_state.hpp"

using namespace kiosk::ui;

namespace {
AppState at_pin_pad() {
    AppState s;
    apply(s, ContentAvailable{true});
    apply(s, MaintHold{});
    apply(s, MaintCornerTap{1});
    apply(s, MaintCornerTap{1});
    apply(s, MaintCornerTap{0});
    return s;
}
}  // namespace

TEST_CASE("the hold then top-right, top-right, top-left opens the PIN pad") {
    AppState s = at_pin_pad();
    CHECK(s.here().screen == ScreenId::maintenance_pin);
    CHECK(std::string(screen_name(s.here().screen)) == "maintenance-pin");
}

TEST_CASE("the corner taps without the hold, a wrong corner, or too slow open nothing") {
    AppState s;
    apply(s, ContentAvailable{true});
    for (int c : {1, 1, 0})
        apply(s, MaintCornerTap{c});
    CHECK(s.here().screen == ScreenId::attract);
    apply(s, MaintHold{});
    apply(s, MaintCornerTap{1});
    apply(s, MaintCornerTap{0});  // wrong: starts over
    apply(s, MaintCornerTap{0});
    CHECK(s.maint.gesture_step == 0);
    apply(s, MaintHold{});
    apply(s, MaintCornerTap{1});
    apply(s, Elapsed{kGestureWindowS + 1});
    apply(s, MaintCornerTap{1});
    apply(s, MaintCornerTap{0});
    CHECK(s.here().screen == ScreenId::attract);
}

TEST_CASE("the PIN pad takes digits only, forgets them when checked, and opens on the right one") {
    AppState s = at_pin_pad();
    for (const char* k : {"1", "x", "2", "backspace", "3"})
        apply(s, PinKey{k});
    CHECK(s.maint.pin == "13");
    apply(s, PinAnswer{false, "密码不对"});
    CHECK(s.maint.pin.empty());
    CHECK(s.here().screen == ScreenId::maintenance_pin);
    CHECK(s.maint.pin_message == "密码不对");
    apply(s, PinAnswer{true, ""});
    CHECK(s.here().screen == ScreenId::maintenance);
}

TEST_CASE("the touch grid lights cells; the screen test ends on the overview") {
    AppState s = at_pin_pad();
    apply(s, PinAnswer{true, ""});
    apply(s, MaintOpen{MaintPage::touch_test});
    apply(s, TouchCell{0});
    apply(s, TouchCell{kTouchCols * kTouchRows});  // out of range: ignored
    CHECK(s.maint.touched[0] == 1);
    CHECK(s.maint.touched[1] == 0);
    apply(s, MaintOpen{MaintPage::screen_test});
    for (int i = 0; i < kScreenColours; ++i)
        apply(s, NextColour{});
    CHECK(s.maint.page == MaintPage::overview);
}

TEST_CASE("leaving, or the idle countdown, returns to the attract screen and wipes the state") {
    AppState s = at_pin_pad();
    apply(s, PinAnswer{true, ""});
    apply(s, MaintDone{true, "已导入"});
    apply(s, LeaveMaintenance{});
    CHECK(s.here().screen == ScreenId::attract);
    CHECK(s.maint.message.empty());
    s = at_pin_pad();
    apply(s, PinKey{"7"});
    apply(s, Elapsed{static_cast<double>(s.idle_timeout_s + s.countdown_s)});
    CHECK(s.here().screen == ScreenId::attract);
    CHECK(s.maint.pin.empty());
}
