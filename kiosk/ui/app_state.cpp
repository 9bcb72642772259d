// apply(): the only place UI state changes; pure, so navigation, forms and idle rules are tested.
#include "app_state.hpp"

#include <algorithm>
#include <cctype>

#include "submit/validate.hpp"

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

size_t count_chars(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

bool continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Inserts at the caret without passing `limit` characters; a character that does not fit is
// refused whole (the counter shows why). Returns whether anything was inserted.
bool insert(TextField& f, const std::string& text, size_t limit) {
    size_t chars = count_chars(f.text);
    f.caret = std::min(f.caret, f.text.size());
    size_t taken = 0;
    for (size_t i = 0; i < text.size() && chars < limit; ++chars) {
        size_t len = 1;
        while (i + len < text.size() && continuation(text[i + len]))
            ++len;
        taken = i + len;
        i += len;
    }
    if (taken == 0) return false;
    f.text.insert(f.caret, text, 0, taken);
    f.caret += taken;
    ++f.edits;
    return true;
}

void backspace(TextField& f) {
    f.caret = std::min(f.caret, f.text.size());
    if (f.caret == 0) return;
    size_t i = f.caret - 1;
    while (i > 0 && continuation(f.text[i]))
        --i;
    f.text.erase(i, f.caret - i);
    f.caret = i;
    ++f.edits;
}

TextField& field(AppState& s, Field f) {
    return s.forms.fields[static_cast<size_t>(f)];
}

// The search text has its own state (results wait for a pause in typing); its caret is the end.
void edit_search(SearchState& q, const std::string& key, InputMode mode) {
    TextField f{q.text, q.text.size(), 0};
    if (key == "clear")
        f.text.clear(), f.caret = 0, f.edits = 1;
    else if (key == "backspace")
        backspace(f);
    else if (key == "space") {
        if (!q.text.empty() && q.text.back() != ' ') insert(f, " ", kMaxSearchChars);
    } else if (key.size() == 1 && std::isalnum(static_cast<unsigned char>(key[0]))) {
        // Letters in pinyin mode go to the input method; here they are typed as they are.
        if (mode != InputMode::pinyin || std::isdigit(static_cast<unsigned char>(key[0])))
            insert(f, key, kMaxSearchChars);
    }
    if (f.edits == 0) return;
    q.text = std::move(f.text);
    ++q.edits;
    q.since_edit = 0;
}

void edit_field(AppState& s, const std::string& key) {
    const Field which = s.keyboard.field;
    TextField& f = field(s, which);
    const size_t limit = max_chars(which);
    if (key == "clear") {
        f.text.clear(), f.caret = 0, ++f.edits;
    } else if (key == "backspace") {
        backspace(f);
    } else if (key == "space") {
        if (!digits_only(which)) insert(f, " ", limit);
    } else if (key == "newline") {
        if (which == Field::report_what || which == Field::consult_question ||
            which == Field::rating_comment)
            insert(f, "\n", limit);
    } else if (key.size() == 1 && std::isalnum(static_cast<unsigned char>(key[0]))) {
        const bool digit = std::isdigit(static_cast<unsigned char>(key[0]));
        const bool id_x = which == Field::report_id && (key == "x" || key == "X");
        if (digits_only(which) && !digit && !id_x) return;
        if (s.keyboard.mode == InputMode::pinyin && !digit && !id_x) return;  // the IME's
        insert(f, id_x ? "X" : key, limit);
    }
    s.forms.problem.clear();
    if (which == Field::lookup_code) s.forms.lookup_answer.clear();  // it was for another code
}

void set_mode(AppState& s, const std::string& key) {
    if (key == "mode:pinyin")
        s.keyboard.mode = InputMode::pinyin;
    else if (key == "mode:handwriting")
        s.keyboard.mode = InputMode::handwriting;
    else if (key == "mode:abc")
        s.keyboard.mode = InputMode::abc;
    else if (key == "mode:digits")
        s.keyboard.mode = InputMode::digits;
}

// Which field a wizard step types into, if any: the keyboard follows the step.
void focus_for_step(AppState& s) {
    const auto& f = s.forms;
    Field want = s.keyboard.field;
    switch (s.here().screen) {
    case ScreenId::report:
        if (f.report_step == 1) want = Field::report_target;
        if (f.report_step == 2) want = Field::report_what;
        if (f.report_step == 4 && f.identity == 2) want = Field::report_name;
        break;
    case ScreenId::rating:
        want = Field::rating_comment;
        break;
    case ScreenId::consult:
        want = f.consult_step == 1 ? Field::consult_phone : Field::consult_question;
        break;
    case ScreenId::lookup:
        want = Field::lookup_code;
        break;
    case ScreenId::search:
        want = Field::search;
        break;
    default:
        return;
    }
    if (want != s.keyboard.field) {
        s.keyboard.field = want;
        field(s, want).caret = field(s, want).text.size();
    }
    if (digits_only(want)) s.keyboard.mode = InputMode::digits;
}

// What a step still needs before "下一步", in words; empty when it is complete.
std::string missing(const AppState& s) {
    const Forms& f = s.forms;
    auto text = [&](Field x) { return field_text(s, x); };
    if (s.here().screen == ScreenId::report) {
        switch (f.report_step) {
        case 0:
            return f.report_category.empty() ? "请先选择要反映的问题类型。" : "";
        case 2:
            return text(Field::report_what).find_first_not_of(" \n") == std::string::npos
                       ? "请写下发生了什么，写几句就可以。"
                       : "";
        case 5:
            return f.consent ? "" : "请阅读上面的内容，点选“我确认”后再提交。";
        case 4:
            if (f.identity == 0) return "请选择匿名举报或实名举报。";
            if (f.identity == 2) {
                if (text(Field::report_name).find_first_not_of(' ') == std::string::npos)
                    return "实名举报请填写您的姓名。";
                if (auto p = submit::mobile_problem(text(Field::report_phone))) return *p;
                if (!text(Field::report_id).empty()) {
                    if (auto p = submit::id_number_problem(text(Field::report_id))) return *p;
                }
            }
            return "";
        default:
            return "";
        }
    }
    if (s.here().screen == ScreenId::rating) {
        switch (f.rating_step) {
        case 0:
            return f.township.empty() ? "请选择您办事的镇或大厅。" : "";
        case 1:
            return f.office.empty() ? "请选择办事的单位。" : "";
        case 2:
            return f.window.empty() ? "请选择办事的窗口。" : "";
        case 3:
            return f.level == 0 ? "请选择您的满意程度。" : "";
        default:
            return "";
        }
    }
    if (s.here().screen == ScreenId::consult) {
        if (f.consult_step == 0 &&
            text(Field::consult_question).find_first_not_of(" \n") == std::string::npos)
            return "请写下您想咨询的问题。";
        if (f.consult_step == 1 && !text(Field::consult_phone).empty()) {
            if (auto p = submit::mobile_problem(text(Field::consult_phone))) return *p;
        }
    }
    return "";
}

}  // namespace

std::string step_problem(const AppState& s) {
    return missing(s);
}

namespace {

int* step_of(AppState& s) {
    switch (s.here().screen) {
    case ScreenId::report:
        return &s.forms.report_step;
    case ScreenId::rating:
        return &s.forms.rating_step;
    case ScreenId::consult:
        return &s.forms.consult_step;
    default:
        return nullptr;
    }
}

int steps_of(const AppState& s) {
    switch (s.here().screen) {
    case ScreenId::report:
        return kReportSteps;
    case ScreenId::rating:
        return rating_steps(s);
    case ScreenId::consult:
        return kConsultSteps;
    default:
        return 0;
    }
}

void step(AppState& s, int delta) {
    int* at = step_of(s);
    if (!at) return;
    s.forms.problem.clear();
    if (delta > 0) {
        if (std::string why = missing(s); !why.empty()) {
            s.forms.problem = std::move(why);
            return;
        }
        if (*at + 1 >= steps_of(s)) return;  // the last step submits instead
        ++*at;
    } else if (s.here().screen == ScreenId::report && *at == 4 && s.forms.identity == 2) {
        s.forms.identity = 0;  // back to the choice of anonymous or real name; the name stays
    } else if (*at > 0) {
        --*at;
    }
    ++s.generation;
    focus_for_step(s);
}

void wipe(Forms& f) {
    for (auto& t : f.fields)
        std::fill(t.text.begin(), t.text.end(), '\0');
    f = Forms{};
}

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

size_t max_chars(Field f) {
    switch (f) {
    case Field::search:
        return kMaxSearchChars;
    case Field::report_what:
    case Field::consult_question:
        return submit::kMaxReportChars;
    case Field::rating_comment:
        return submit::kMaxCommentChars;
    case Field::report_target:
        return 100;
    case Field::report_name:
        return submit::kMaxNameChars;
    case Field::report_phone:
    case Field::consult_phone:
        return 11;
    case Field::report_id:
        return 18;
    case Field::lookup_code:
        return 16;
    case Field::count:
        break;
    }
    return 0;
}

bool digits_only(Field f) {
    return f == Field::report_phone || f == Field::consult_phone || f == Field::lookup_code ||
           f == Field::report_id;
}

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
    }
    return "?";
}

const std::string& field_text(const AppState& s, Field f) {
    if (f == Field::search) return s.search.text;
    return s.forms.fields[static_cast<size_t>(f)].text;
}

int rating_steps(const AppState& s) {
    return s.forms.level >= 1 && s.forms.level <= 3 ? 5 : 4;
}

submit::ReportDraft report_draft(const AppState& s) {
    submit::ReportDraft d;
    d.category = s.forms.report_category;
    d.target_id = s.forms.report_target == kWriteOwnTarget ? "" : s.forms.report_target;
    d.target_text = field_text(s, Field::report_target);
    d.what = field_text(s, Field::report_what);
    d.when = s.forms.report_when;
    d.real_name = s.forms.identity == 2;
    if (d.real_name) {
        d.name = field_text(s, Field::report_name);
        d.phone = field_text(s, Field::report_phone);
        d.id_number = field_text(s, Field::report_id);
    }
    return d;
}

submit::RatingDraft rating_draft(const AppState& s) {
    submit::RatingDraft d;
    d.target_id = s.forms.window;
    d.level = s.forms.level;
    if (d.level <= 3) {
        d.reasons = s.forms.reasons;
        d.comment = field_text(s, Field::rating_comment);
    }
    return d;
}

submit::ConsultationDraft consultation_draft(const AppState& s) {
    submit::ConsultationDraft d;
    d.question = field_text(s, Field::consult_question);
    d.phone = field_text(s, Field::consult_phone);
    return d;
}

void reset_to_attract(AppState& s) {
    s.history.assign(1, at(s.has_content ? ScreenId::attract : ScreenId::no_content));
    s.large_text = false;
    s.search = SearchState{};
    s.keyboard = KeyboardState{};
    wipe(s.forms);
    s.receipt = ReceiptShown{};
    s.closed_reason.clear();
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
                           if (insert(f, a.text, kMaxSearchChars)) {
                               s.search.text = std::move(f.text);
                               ++s.search.edits;
                               s.search.since_edit = 0;
                           }
                       } else if (!digits_only(s.keyboard.field)) {
                           insert(field(s, s.keyboard.field), a.text, max_chars(s.keyboard.field));
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
                       size_t c = std::min(a.caret, f.text.size());
                       while (c > 0 && c < f.text.size() && continuation(f.text[c]))
                           --c;
                       f.caret = c;
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
                   [&](const LookupAnswer& a) { s.forms.lookup_answer = a.text; },
                   [&](const PadStroke&) {},  // the input controller's business
                   [&](const PadUndo&) {},
                   [&](const PadClear&) {},
               },
               action);
}

}  // namespace kiosk::ui
