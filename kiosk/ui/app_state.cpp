// apply(): the only place UI state changes; pure, so navigation, forms and idle rules are tested.
#include "app_state.hpp"

#include <algorithm>
#include <cctype>

#include "forms_state.hpp"

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

void open_form(AppState& s, ScreenId screen) {
    if (!s.has_content) return;
    // A fresh form each time: nothing of an earlier, abandoned one comes back.
    wipe(s.forms);
    s.receipt = ReceiptShown{};
    s.history.assign(1, at(ScreenId::home));
    go(s, at(screen));
    s.keyboard.mode = InputMode::pinyin;
    focus_for_step(s);
}

template <class T> void toggle(std::vector<T>& v, const T& x) {
    auto it = std::find(v.begin(), v.end(), x);
    if (it == v.end())
        v.push_back(x);
    else
        v.erase(it);
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
    case ScreenId::report:
        return "report";
    case ScreenId::rating:
        return "rating";
    case ScreenId::consult:
        return "consult";
    case ScreenId::receipt:
        return "receipt";
    case ScreenId::lookup:
        return "lookup";
    case ScreenId::closed:
        return "closed";
    case ScreenId::maintenance_pin:
        return "maintenance-pin";
    case ScreenId::maintenance:
        return "maintenance";
    }
    return "?";
}

void reset_to_attract(AppState& s) {
    s.history.assign(1, at(s.has_content ? ScreenId::attract : ScreenId::no_content));
    s.large_text = false;
    s.search = SearchState{};
    s.keyboard = KeyboardState{};
    wipe(s.forms);
    s.receipt = ReceiptShown{};
    s.closed_reason.clear();
    s.maint = MaintenanceState{};
    s.idle_s = 0;
    ++s.generation;
}

void apply(AppState& s, const Action& action) {
    std::visit(
        Overloaded{
            [&](const Touched&) { s.idle_s = 0; },
            [&](const Start&) {
                s.maint.gesture_step = 0;
                if (!s.has_content) return;
                s.history.assign(1, at(ScreenId::home));
                ++s.generation;
            },
            [&](const GoHome&) {
                if (!s.has_content) return;
                s.receipt = ReceiptShown{};  // the code was shown; it is not kept
                s.history.assign(1, at(ScreenId::home));
                ++s.generation;
            },
            [&](const GoBack&) {
                // Inside a wizard, back is the previous step: nothing typed is lost.
                if (int* st = step_of(s); st && *st > 0) return step(s, -1);
                if (s.here().screen == ScreenId::receipt) s.receipt = ReceiptShown{};
                if (s.history.size() > 1) {
                    s.history.pop_back();
                    ++s.generation;
                    focus_for_step(s);
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
                    gesture_elapsed(s.maint, a.seconds);
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
                if (s.has_content && s.here().screen != ScreenId::search) {
                    go(s, at(ScreenId::search));
                    focus_for_step(s);
                }
            },
            [&](const Key& a) {
                if (a.key.rfind("mode:", 0) == 0) return set_mode(s, a.key);
                if (s.keyboard.field == Field::search)
                    edit_search(s.search, a.key, s.keyboard.mode);
                else
                    edit_field(s, a.key);
            },
            [&](const PickCandidate&) {},  // the input controller's business
            [&](const CandidatePage&) {},
            [&](const Commit& a) {
                if (s.keyboard.field == Field::search) {
                    TextField f{s.search.text, s.search.text.size(), 0};
                    if (insert_text(f, a.text, kMaxSearchChars)) {
                        s.search.text = std::move(f.text);
                        ++s.search.edits;
                        s.search.since_edit = 0;
                    }
                } else if (!digits_only(s.keyboard.field)) {
                    insert_text(field(s, s.keyboard.field), a.text, max_chars(s.keyboard.field));
                    s.forms.problem.clear();
                }
            },
            [&](const OpenForm& a) {
                if (a.screen == ScreenId::report || a.screen == ScreenId::rating ||
                    a.screen == ScreenId::consult || a.screen == ScreenId::lookup)
                    open_form(s, a.screen);
            },
            [&](const FormsClosed& a) {
                if (!s.has_content) return;
                s.closed_reason = a.why;
                s.history.assign(1, at(ScreenId::home));
                go(s, at(ScreenId::closed));
            },
            [&](const Step& a) { step(s, a.delta); },
            [&](const Focus& a) {
                if (a.field == Field::count) return;
                s.keyboard.field = a.field;
                if (a.field == Field::search) return;  // its caret is always at the end
                TextField& f = field(s, a.field);
                f.caret = char_start(f.text, a.caret);
                if (digits_only(a.field)) s.keyboard.mode = InputMode::digits;
            },
            [&](const PickReportCategory& a) {
                s.forms.report_category = a.id;
                s.forms.problem.clear();
            },
            [&](const PickReportTarget& a) { s.forms.report_target = a.id; },
            [&](const PickWhen& a) {
                s.forms.report_when = s.forms.report_when == a.words ? "" : a.words;
            },
            [&](const PickIdentity& a) {
                s.forms.identity = a.real_name ? 2 : 1;
                s.forms.problem.clear();
                focus_for_step(s);
            },
            [&](const ToggleConsent&) {
                s.forms.consent = !s.forms.consent;
                s.forms.problem.clear();
            },
            [&](const PickTownship& a) {
                if (a.id != s.forms.township) s.forms.office.clear(), s.forms.window.clear();
                s.forms.township = a.id;
                s.forms.problem.clear();
            },
            [&](const PickOffice& a) {
                if (a.id != s.forms.office) s.forms.window.clear();
                s.forms.office = a.id;
                s.forms.problem.clear();
            },
            [&](const PickWindow& a) {
                s.forms.window = a.id;
                s.forms.problem.clear();
            },
            [&](const PickLevel& a) {
                if (a.level < 1 || a.level > 5) return;
                s.forms.level = a.level;
                if (a.level > 3) s.forms.reasons.clear();
                s.forms.problem.clear();
            },
            [&](const ToggleReason& a) { toggle(s.forms.reasons, a.id); },
            [&](const Submit&) {},  // the program seals and queues, then answers below
            [&](const Submitted& a) {
                // Sealed and queued: the form's plain text is wiped at once.
                wipe(s.forms);
                s.receipt = a.receipt;
                s.history.assign(1, at(ScreenId::home));
                go(s, at(ScreenId::receipt));
            },
            [&](const SubmitRefused& a) {
                if (a.closed) {
                    s.closed_reason = a.why;
                    go(s,
                       at(ScreenId::closed));  // back returns to the form, still filled in
                } else {
                    s.forms.problem = a.why;
                }
            },
            [&](const LookUp&) {},  // the program asks, then answers below
            [&](const LookupPending&) {
                s.forms.lookup_answer = "正在查询，请稍候……";
                s.forms.lookup_busy = true;
            },
            [&](const LookupAnswer& a) {
                s.forms.lookup_answer = a.text;
                s.forms.lookup_busy = false;
            },
            [&](const NetworkChanged& a) { s.net = a.net; },
            [&](const PadStroke&) {},  // the input controller's business
            [&](const PadUndo&) {},
            [&](const PadClear&) {},
            // Only the maintenance actions have an apply_maintenance().
            [&](const auto& a) -> decltype(apply_maintenance(s, a)) { apply_maintenance(s, a); },
        },
        action);
}

}  // namespace kiosk::ui
