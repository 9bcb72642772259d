// The kiosk's UI state and the actions that change it: screens read state, apply() changes it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "maintenance_state.hpp"
#include "submit/draft.hpp"

namespace kiosk::ui {

// report, rating, consult: the three wizards; receipt: after a submission; lookup: 进度查询;
// closed: this terminal cannot take submissions now (outbox full, no sealing key, disk full).
enum class ScreenId {
    no_content,
    attract,
    home,
    category,
    document,
    search,
    report,
    rating,
    consult,
    receipt,
    lookup,
    closed,
    maintenance_pin,  // the technician's PIN pad, after the hidden gesture
    maintenance
};

// The name replay scripts use in `expect-screen NAME`.
const char* screen_name(ScreenId id);

struct Place {
    ScreenId screen = ScreenId::attract;
    std::string category;  // category screen
    std::string document;  // document screen
    float scroll = 0;      // restored when coming back
};

// How the on-screen keyboard types: pinyin, handwriting, letters, digits.
enum class InputMode { pinyin, handwriting, abc, digits };

// Every text a person can type; the keyboard edits the focused one.
enum class Field {
    search,
    report_target,  // who or which office, in their own words
    report_what,
    report_name,
    report_phone,
    report_id,
    rating_comment,
    consult_question,
    consult_phone,
    lookup_code,
    count
};

// A typed text and its caret (a byte offset at a character boundary).
struct TextField {
    std::string text;
    size_t caret = 0;
    uint64_t edits = 0;  // bumped on every change
};

struct KeyboardState {
    InputMode mode = InputMode::pinyin;
    Field field = Field::search;
};

// Most characters a field takes; the keyboard refuses more (and the counter shows it).
size_t max_chars(Field f);
// Fields typed on the number pad (phone numbers, the receipt code).
bool digits_only(Field f);

// The search screen's text. Pinyin being composed lives in the input controller, not here.
struct SearchState {
    std::string text;       // what is searched for
    uint64_t edits = 0;     // bumped on every change, so results know they are stale
    double since_edit = 0;  // seconds since the last change: results wait for a pause
};

// Keys of the on-screen keyboard: "a".."z", "0".."9", "space", "backspace", "clear",
// "newline", "mode:pinyin", "mode:handwriting", "mode:abc", "mode:digits".
inline constexpr size_t kMaxSearchChars = 40;

// report_target when the person writes who it was in their own words instead of picking.
inline constexpr const char* kWriteOwnTarget = "*";

// The three wizards' answers while a person fills them in. Everything here is wiped with the
// idle countdown, on a new visit, and (for the form submitted) once it is sealed and queued.
struct Forms {
    std::array<TextField, static_cast<size_t>(Field::count)> fields;
    // 举报投诉: category → who → what → when → anonymous or real name → review.
    int report_step = 0;
    std::string report_category;  // a report category id
    std::string report_target;    // a rating-target id (an office), kWriteOwnTarget, or empty
    std::string report_when;      // a chip's words, or empty (optional)
    int identity = 0;             // 0 not chosen yet, 1 anonymous, 2 real name
    bool consent = false;
    // 服务评价: township → office → window → level → (levels 1-3) reasons and comment.
    int rating_step = 0;
    std::string township, office, window;
    int level = 0;
    std::vector<std::string> reasons;
    // 我要咨询: question → phone (optional) → review.
    int consult_step = 0;
    // A calm sentence on the current step: a problem to fix, or why something was not taken.
    std::string problem;
    // 进度查询: the hub's answer (or why there is none) for the code typed; busy while the
    // program is asking (the 查询 button waits).
    std::string lookup_answer;
    bool lookup_busy = false;
};

// The link to the county hub, as the top bar shows it. Nothing is shown on a terminal that has
// no hub configured.
struct NetStatus {
    bool configured = false;
    bool online = false;
    int64_t queue = 0;  // submissions waiting to be sent
    bool operator==(const NetStatus& o) const {
        return configured == o.configured && online == o.online && queue == o.queue;
    }
};

// What the receipt screen shows after a submission. The code is shown once and then wiped.
struct ReceiptShown {
    submit::Kind kind = submit::Kind::report;
    std::string code;  // 16 digits; empty for a rating
    int64_t created_at = 0;
    bool printed = false;
    int qr_size = 0;          // the code as a QR code: qr_size × qr_size modules,
    std::vector<uint8_t> qr;  // 1 = dark
};

struct AppState {
    std::vector<Place> history{Place{}};  // never empty; back() is the current place
    bool large_text = false;
    bool has_content = false;
    // Idle handling: seconds since the last touch; the countdown shows after idle_timeout_s.
    double idle_s = 0;
    int idle_timeout_s = 90;
    int countdown_s = 10;
    SearchState search;
    KeyboardState keyboard;
    Forms forms;
    ReceiptShown receipt;
    std::string closed_reason;  // the closed screen's sentence
    NetStatus net;
    MaintenanceState maint;  // the hidden gesture and the maintenance screen
    // Set when the kiosk's font is missing and no Chinese font stands in: only a Latin notice
    // with this (and what to do) is shown, never text as boxes.
    std::string font_problem;
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

// Opens a wizard or 进度查询 (report, rating, consult, lookup) with empty fields. The program may
// answer with FormsClosed instead, when the terminal cannot take submissions.
struct OpenForm {
    ScreenId screen;
};
struct FormsClosed {
    std::string why;  // shown on the closed screen
};
struct Step {
    int delta;  // +1 next (checked: a step that is not complete says what is missing), -1 back
};
struct Focus {
    Field field;
    size_t caret = std::string::npos;  // a byte offset; npos: at the end
};
struct PickReportCategory {
    std::string id;
};
struct PickReportTarget {
    std::string id;  // an office, or "" to skip (or to write it instead)
};
struct PickWhen {
    std::string words;  // "" clears
};
struct PickIdentity {
    bool real_name;
};
struct ToggleConsent {};
struct PickTownship {
    std::string id;
};
struct PickOffice {
    std::string id;
};
struct PickWindow {
    std::string id;
};
struct PickLevel {
    int level;  // 5 非常满意 … 1 非常不满意
};
struct ToggleReason {
    std::string id;
};
// The program seals and queues the form of this kind, then answers Submitted or SubmitRefused.
struct Submit {
    submit::Kind kind;
};
struct Submitted {
    ReceiptShown receipt;
};
struct SubmitRefused {
    std::string why;
    bool closed = false;  // the terminal cannot take any submission now: show the closed screen
};
// The program asks the hub about the code typed: LookupPending at once, LookupAnswer when the
// hub answered or the time is up.
struct LookUp {};
struct LookupPending {};
struct LookupAnswer {
    std::string text;
};
// Handwriting pad: a finished stroke (pad coordinates), undo the last, clear. The input
// controller keeps the ink and recognises it.
struct PadStroke {
    std::vector<std::array<float, 2>> points;
    float width, height;
};
struct PadUndo {};
struct PadClear {};
// The sync worker's view of the hub changed.
struct NetworkChanged {
    NetStatus net;
};

using Action =
    std::variant<Touched, Start, GoHome, GoBack, OpenCategory, OpenDocument, ToggleLargeText,
                 Elapsed, ContentAvailable, SaveScroll, OpenSearch, Key, PickCandidate,
                 CandidatePage, Commit, OpenForm, FormsClosed, Step, Focus, PickReportCategory,
                 PickReportTarget, PickWhen, PickIdentity, ToggleConsent, PickTownship, PickOffice,
                 PickWindow, PickLevel, ToggleReason, Submit, Submitted, SubmitRefused, LookUp,
                 LookupPending, LookupAnswer, PadStroke, PadUndo, PadClear, NetworkChanged,
                 // maintenance_state.hpp
                 MaintHold, MaintCornerTap, PinKey, PinEnter, PinAnswer, MaintOpen, MaintInfoShown,
                 UsbOpenFolder, UsbListed, UsbImport, OutboxExport, RollbackBundle, MaintDone,
                 TouchCell, NextColour, RestartKiosk, LeaveMaintenance>;

// What screens record while drawing; applied in order after the frame.
using Actions = std::vector<Action>;

void apply(AppState& state, const Action& action);

// Wipes everything a person did: history, large text, scroll, every form and the receipt. Used
// when the idle countdown ends.
void reset_to_attract(AppState& state);

// The text a field holds (the search text lives in SearchState).
const std::string& field_text(const AppState& state, Field f);

// What the current wizard step still needs, in words ("" when it is complete); the last step's
// button submits only when this is empty.
std::string step_problem(const AppState& state);

// The report, rating and consultation as the core takes them, from the forms.
submit::ReportDraft report_draft(const AppState& state);
submit::RatingDraft rating_draft(const AppState& state);
submit::ConsultationDraft consultation_draft(const AppState& state);

// Steps of each wizard, for "第 2 步，共 6 步".
inline constexpr int kReportSteps = 6;
inline constexpr int kConsultSteps = 3;
int rating_steps(const AppState& state);  // 4, or 5 when the level asks for reasons

}  // namespace kiosk::ui
