// The maintenance screen's state and actions: the hidden gesture, the PIN pad, the pages
// (overview, USB, touch test, screen test). apply_maintenance() changes it; the program answers
// the actions that need the disk (PIN check, USB listing, import, export, rollback).
//
// The gesture (on the attract screen, so never in the middle of someone's visit): hold the
// top-left corner of the coloured band for 3 seconds, then within 10 seconds tap the top-right
// corner twice and the top-left corner once. Anything else on the way starts over.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::ui {

struct AppState;

enum class MaintPage { overview, usb, touch_test, screen_test };

// What the overview shows, filled by the program each time it opens (and after an operation).
struct MaintInfo {
    std::string network;  // the sync worker's state in words ("未配置" until it exists)
    std::string queue;    // "3 条待上传" ...
    std::string app_version;
    std::string bundle;  // "第 2 版 · 示例县…" or why there is none
    std::string previous;
    std::string free_disk;
    std::string clock;
};

// A folder or a bundle file on the USB stick.
struct UsbEntry {
    std::string name;  // shown
    std::string path;  // absolute
};

struct MaintenanceState {
    int gesture_step = 0;      // 0 nothing; 1 held; 2, 3: taps of the sequence done
    double gesture_age_s = 0;  // since the hold: the taps must follow within kGestureWindowS
    std::string pin;           // digits typed on the PIN pad (wiped when it is checked)
    std::string pin_message;   // why the last PIN was not taken
    MaintPage page = MaintPage::overview;
    MaintInfo info;
    std::string usb_root;  // the configured mount root (the top of the folder walk)
    std::string folder;    // the USB folder shown
    std::vector<UsbEntry> folders, bundles;
    std::string message;  // the last operation's outcome, in words
    bool message_ok = true;
    std::vector<uint8_t> touched;  // touch test: 1 for each cell touched
    int colour = 0;                // screen test: which full-screen colour
};

inline constexpr double kHoldS = 3.0;
inline constexpr double kGestureWindowS = 10.0;
inline constexpr int kTouchCols = 8, kTouchRows = 5;
inline constexpr int kScreenColours = 5;  // red, green, blue, white, black
// The corners of the sequence after the hold: 1 top-right, 1 top-right, 0 top-left.
inline constexpr int kGestureTaps[] = {1, 1, 0};

struct MaintHold {};  // the top-left corner held for kHoldS on the attract screen
struct MaintCornerTap {
    int corner;  // 0 top-left, 1 top-right
};
struct PinKey {
    std::string key;  // "0".."9", "backspace", "clear"
};
struct PinEnter {};  // the program checks the PIN, then answers PinAnswer
struct PinAnswer {
    bool ok;
    std::string message;  // why not
};
struct MaintOpen {
    MaintPage page;  // the program answers MaintInfoShown / UsbListed for the pages that need it
};
struct MaintInfoShown {
    MaintInfo info;
};
struct UsbOpenFolder {
    std::string path;  // the program lists it, then answers UsbListed
};
struct UsbListed {
    std::string root;  // [maintenance] usb_root: the walk goes no higher
    std::string folder;
    std::vector<UsbEntry> folders, bundles;
    std::string message;  // "" or why nothing is listed
};
struct UsbImport {
    std::string path;  // a bundle file; the program installs it, then answers MaintDone
};
struct OutboxExport {};  // into the folder shown; answered by MaintDone
struct RollbackBundle {};
struct MaintDone {
    bool ok;
    std::string message;
};
struct TouchCell {
    int index;
};
struct NextColour {};
struct RestartKiosk {};  // the program exits; systemd starts it again
struct LeaveMaintenance {};

// The state change for each of the actions above (the program's side effects come first).
void apply_maintenance(AppState& s, const MaintHold& a);
void apply_maintenance(AppState& s, const MaintCornerTap& a);
void apply_maintenance(AppState& s, const PinKey& a);
void apply_maintenance(AppState& s, const PinEnter& a);
void apply_maintenance(AppState& s, const PinAnswer& a);
void apply_maintenance(AppState& s, const MaintOpen& a);
void apply_maintenance(AppState& s, const MaintInfoShown& a);
void apply_maintenance(AppState& s, const UsbOpenFolder& a);
void apply_maintenance(AppState& s, const UsbListed& a);
void apply_maintenance(AppState& s, const UsbImport& a);
void apply_maintenance(AppState& s, const OutboxExport& a);
void apply_maintenance(AppState& s, const RollbackBundle& a);
void apply_maintenance(AppState& s, const MaintDone& a);
void apply_maintenance(AppState& s, const TouchCell& a);
void apply_maintenance(AppState& s, const NextColour& a);
void apply_maintenance(AppState& s, const RestartKiosk& a);
void apply_maintenance(AppState& s, const LeaveMaintenance& a);

// The gesture's clock: called with every Elapsed while the attract screen shows.
void gesture_elapsed(MaintenanceState& m, double seconds);

}  // namespace kiosk::ui
