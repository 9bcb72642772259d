// The forms' state rules for apply(): typing into fields (a caret, character limits, digits-only
// fields), which field a step types into, what a step still needs, and moving between steps.
#include "forms_state.hpp"

#include <algorithm>
#include <cctype>

#include "submit/validate.hpp"

namespace kiosk::ui {

namespace {

bool continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

size_t char_start(const std::string& s, size_t offset) {
    offset = std::min(offset, s.size());
    while (offset > 0 && offset < s.size() && continuation(s[offset]))
        --offset;
    return offset;
}

bool insert_text(TextField& f, const std::string& raw, size_t limit) {
    // What the keyboard may type: valid UTF-8 without control characters (clean_text), and only
    // characters of the Basic Multilingual Plane, which the font atlas can hold (no emoji).
    std::string text;
    const std::string clean = submit::clean_text(raw, raw.size());
    for (size_t i = 0; i < clean.size();) {
        size_t len = 1;
        while (i + len < clean.size() && continuation(clean[i + len]))
            ++len;
        if (len < 4) text.append(clean, i, len);
        i += len;
    }
    size_t chars = submit::count_chars(f.text);
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

static void backspace(TextField& f) {
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
        if (!q.text.empty() && q.text.back() != ' ') insert_text(f, " ", kMaxSearchChars);
    } else if (key.size() == 1 && std::isalnum(static_cast<unsigned char>(key[0]))) {
        // Letters in pinyin mode go to the input method; here they are typed as they are.
        if (mode != InputMode::pinyin || std::isdigit(static_cast<unsigned char>(key[0])))
            insert_text(f, key, kMaxSearchChars);
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
        if (!digits_only(which)) insert_text(f, " ", limit);
    } else if (key == "newline") {
        if (which == Field::report_what || which == Field::consult_question ||
            which == Field::rating_comment)
            insert_text(f, "\n", limit);
    } else if (key.size() == 1 && std::isalnum(static_cast<unsigned char>(key[0]))) {
        const bool digit = std::isdigit(static_cast<unsigned char>(key[0]));
        const bool id_x = which == Field::report_id && (key == "x" || key == "X");
        if (digits_only(which) && !digit && !id_x) return;
        if (s.keyboard.mode == InputMode::pinyin && !digit && !id_x) return;  // the IME's
        insert_text(f, id_x ? "X" : key, limit);
    }
    s.forms.problem.clear();
    if (which == Field::lookup_code) {  // the answer was for another code
        s.forms.lookup_answer.clear();
        s.forms.lookup_busy = false;
    }
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
static std::string missing(const AppState& s) {
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

std::string step_problem(const AppState& s) {
    return missing(s);
}

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

static int steps_of(const AppState& s) {
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

}  // namespace kiosk::ui
