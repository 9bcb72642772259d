// The maintenance screen's state changes: pure, like apply(), so the gesture and the pages are
// unit-tested.
#include "maintenance_state.hpp"

#include <algorithm>

#include "app_state.hpp"

namespace kiosk::ui {

namespace {

void go_to(AppState& s, ScreenId screen) {
    Place p;
    p.screen = screen;
    s.history.assign(1, p);
    ++s.generation;
}

bool in_maintenance(const AppState& s) {
    return s.here().screen == ScreenId::maintenance;
}

// Forget what a person typed (the PIN) with the same care as the forms.
void wipe_pin(MaintenanceState& m) {
    std::fill(m.pin.begin(), m.pin.end(), '\0');
    m.pin.clear();
}

}  // namespace

void gesture_elapsed(MaintenanceState& m, double seconds) {
    if (m.gesture_step == 0) return;
    m.gesture_age_s += seconds;
    if (m.gesture_age_s > kGestureWindowS) m.gesture_step = 0;
}

void apply_maintenance(AppState& s, const MaintHold&) {
    const ScreenId here = s.here().screen;
    if (here != ScreenId::attract && here != ScreenId::no_content) return;
    s.maint.gesture_step = 1;
    s.maint.gesture_age_s = 0;
}

void apply_maintenance(AppState& s, const MaintCornerTap& a) {
    MaintenanceState& m = s.maint;
    const int done = m.gesture_step - 1;  // taps of the sequence already made
    constexpr int kTaps = static_cast<int>(sizeof kGestureTaps / sizeof kGestureTaps[0]);
    if (m.gesture_step == 0 || done >= kTaps || kGestureTaps[done] != a.corner) {
        m.gesture_step = 0;
        return;
    }
    ++m.gesture_step;
    if (done + 1 < kTaps) return;
    m = MaintenanceState{};
    go_to(s, ScreenId::maintenance_pin);
}

void apply_maintenance(AppState& s, const PinKey& a) {
    if (s.here().screen != ScreenId::maintenance_pin) return;
    MaintenanceState& m = s.maint;
    if (a.key == "backspace") {
        if (!m.pin.empty()) m.pin.pop_back();
    } else if (a.key == "clear") {
        wipe_pin(m);
    } else if (a.key.size() == 1 && a.key[0] >= '0' && a.key[0] <= '9' && m.pin.size() < 12) {
        m.pin += a.key;
    }
}

void apply_maintenance(AppState&, const PinEnter&) {}  // the program checks, then PinAnswer

void apply_maintenance(AppState& s, const PinAnswer& a) {
    if (s.here().screen != ScreenId::maintenance_pin) return;
    wipe_pin(s.maint);
    if (!a.ok) {
        s.maint.pin_message = a.message;
        return;
    }
    s.maint.pin_message.clear();
    s.maint.page = MaintPage::overview;
    go_to(s, ScreenId::maintenance);
}

void apply_maintenance(AppState& s, const MaintOpen& a) {
    if (!in_maintenance(s)) return;
    s.maint.page = a.page;
    s.maint.message.clear();
    if (a.page == MaintPage::touch_test)
        s.maint.touched.assign(static_cast<size_t>(kTouchCols * kTouchRows), 0);
    if (a.page == MaintPage::screen_test) s.maint.colour = 0;
    ++s.generation;
}

void apply_maintenance(AppState& s, const MaintInfoShown& a) {
    s.maint.info = a.info;
}

void apply_maintenance(AppState&, const UsbOpenFolder&) {}  // the program lists, then UsbListed

void apply_maintenance(AppState& s, const UsbListed& a) {
    if (!in_maintenance(s)) return;
    s.maint.usb_root = a.root;
    s.maint.folder = a.folder;
    s.maint.message.clear();
    s.maint.folders = a.folders;
    s.maint.bundles = a.bundles;
    if (!a.message.empty()) s.maint.message = a.message, s.maint.message_ok = false;
    ++s.generation;  // the list starts at its top
}

void apply_maintenance(AppState&, const UsbImport&) {}  // the program installs, then MaintDone
void apply_maintenance(AppState&, const OutboxExport&) {}
void apply_maintenance(AppState&, const RollbackBundle&) {}

void apply_maintenance(AppState& s, const MaintDone& a) {
    if (!in_maintenance(s)) return;
    s.maint.message = a.message;
    s.maint.message_ok = a.ok;
}

void apply_maintenance(AppState& s, const TouchCell& a) {
    if (!in_maintenance(s) || s.maint.page != MaintPage::touch_test) return;
    if (a.index >= 0 && static_cast<size_t>(a.index) < s.maint.touched.size())
        s.maint.touched[static_cast<size_t>(a.index)] = 1;
}

void apply_maintenance(AppState& s, const NextColour&) {
    if (!in_maintenance(s) || s.maint.page != MaintPage::screen_test) return;
    if (++s.maint.colour >= kScreenColours) {
        s.maint.colour = 0;
        s.maint.page = MaintPage::overview;
        ++s.generation;
    }
}

void apply_maintenance(AppState&, const RestartKiosk&) {}  // the program exits

void apply_maintenance(AppState& s, const LeaveMaintenance&) {
    const ScreenId here = s.here().screen;
    if (here != ScreenId::maintenance && here != ScreenId::maintenance_pin) return;
    reset_to_attract(s);
}

}  // namespace kiosk::ui
