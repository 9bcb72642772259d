// apply() for the report, rating and consultation wizards: steps, back, limits, validation,
// consent, and the wipe after a submission and after the idle countdown.
#include <doctest/doctest.h>

#include <string>

#include "ui/app_state.hpp"

using namespace kiosk::ui;

namespace {

AppState at_home() {
    AppState s;
    apply(s, ContentAvailable{true});
    apply(s, Start{});
    return s;
}

void type(AppState& s, const std::string& text) {
    apply(s, Commit{text});
}

}  // namespace

TEST_CASE("a report cannot leave the first step without a category, and says so in words") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::report});
    CHECK(s.here().screen == ScreenId::report);
    apply(s, Step{+1});
    CHECK(s.forms.report_step == 0);
    CHECK(s.forms.problem == "请先选择要反映的问题类型。");
    apply(s, PickReportCategory{"illegal-fees"});
    CHECK(s.forms.problem.empty());
    apply(s, Step{+1});
    CHECK(s.forms.report_step == 1);
}

TEST_CASE("back inside the report wizard goes to the previous step and keeps what was typed") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::report});
    apply(s, PickReportCategory{"illegal-fees"});
    apply(s, Step{+1});
    apply(s, Step{+1});  // who: skipped
    CHECK(s.keyboard.field == Field::report_what);
    type(s, "窗口多收了五十元");
    apply(s, Step{+1});
    CHECK(s.forms.report_step == 3);
    apply(s, GoBack{});
    apply(s, GoBack{});
    apply(s, GoBack{});
    CHECK(s.forms.report_step == 0);
    CHECK(s.here().screen == ScreenId::report);
    CHECK(s.forms.report_category == "illegal-fees");
    CHECK(field_text(s, Field::report_what) == "窗口多收了五十元");
}

TEST_CASE("typing past 2,000 characters is refused at the keyboard, whole characters only") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::consult});
    std::string long_text;
    for (int i = 0; i < 1999; ++i)
        long_text += "字";
    type(s, long_text);
    type(s, "好吗");  // only the first fits
    const std::string& t = field_text(s, Field::consult_question);
    CHECK(t.size() == 2000 * 3);
    CHECK(t.substr(t.size() - 3) == "好");
    apply(s, Key{"a"});  // pinyin mode: letters go to the input method, never here
    apply(s, Key{"mode:abc"});
    apply(s, Key{"a"});
    CHECK(field_text(s, Field::consult_question).size() == 2000 * 3);
}

TEST_CASE("the caret can be placed inside the text and typing goes there") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::consult});
    type(s, "怎么办理");
    apply(s, Focus{Field::consult_question, 3});  // after 怎
    type(s, "样");
    CHECK(field_text(s, Field::consult_question) == "怎样么办理");
    apply(s, Focus{Field::consult_question, 4});  // inside a character: moved to its start
    apply(s, Key{"backspace"});
    CHECK(field_text(s, Field::consult_question) == "样么办理");
}

TEST_CASE("phone and ID fields take digits only, an ID number also its X") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::report});
    apply(s, Focus{Field::report_phone});
    CHECK(s.keyboard.mode == InputMode::digits);
    for (const char* k : {"1", "a", "3", "X", "8"})
        apply(s, Key{k});
    type(s, "张");
    CHECK(field_text(s, Field::report_phone) == "138");
    apply(s, Focus{Field::report_id});
    for (const char* k : {"1", "X"})
        apply(s, Key{k});
    CHECK(field_text(s, Field::report_id) == "1X");
    for (int i = 0; i < 30; ++i)
        apply(s, Key{"9"});
    CHECK(field_text(s, Field::report_id).size() == 18);
}

TEST_CASE("a real-name report needs a name and a valid mobile number, explained in words") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::report});
    apply(s, PickReportCategory{"abuse-of-power"});
    apply(s, Step{+1});
    apply(s, Step{+1});
    type(s, "经过");
    apply(s, Step{+1});
    apply(s, Step{+1});
    CHECK(s.forms.report_step == 4);
    apply(s, Step{+1});
    CHECK(s.forms.problem == "请选择匿名举报或实名举报。");
    apply(s, PickIdentity{true});
    CHECK(s.keyboard.field == Field::report_name);
    apply(s, Step{+1});
    CHECK(s.forms.problem == "实名举报请填写您的姓名。");
    type(s, "李四");
    apply(s, Focus{Field::report_phone});
    for (char c : std::string("12345678901"))
        apply(s, Key{std::string(1, c)});
    apply(s, Step{+1});
    CHECK(s.forms.report_step == 4);
    CHECK(s.forms.problem.find("13–19") != std::string::npos);
    apply(s, Key{"clear"});
    for (char c : std::string("13912345678"))
        apply(s, Key{std::string(1, c)});
    apply(s, Focus{Field::report_id});
    for (char c : std::string("110105194912310022"))  // wrong check digit
        apply(s, Key{std::string(1, c)});
    apply(s, Step{+1});
    CHECK(s.forms.problem.find("校验码") != std::string::npos);
    apply(s, Key{"backspace"});
    apply(s, Key{"X"});
    apply(s, Step{+1});
    CHECK(s.forms.report_step == 5);
    // Back from the review returns to the choice of identity, keeping the name.
    apply(s, GoBack{});
    apply(s, GoBack{});
    CHECK(s.forms.identity == 0);
    CHECK(field_text(s, Field::report_name) == "李四");
}

TEST_CASE("the review asks for consent before anything is submitted") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::report});
    s.forms.report_step = 5;
    CHECK(step_problem(s) == "请阅读上面的内容，点选“我确认”后再提交。");
    apply(s, ToggleConsent{});
    CHECK(step_problem(s).empty());
}

TEST_CASE("an anonymous report's draft carries no name, phone or ID typed before switching") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::report});
    apply(s, PickIdentity{true});
    type(s, "王五");
    apply(s, PickIdentity{false});
    auto d = report_draft(s);
    CHECK_FALSE(d.real_name);
    CHECK(d.name.empty());
    apply(s, PickReportTarget{kWriteOwnTarget});
    CHECK(report_draft(s).target_id.empty());
}

TEST_CASE("rating asks for reasons only for the three lower levels") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::rating});
    apply(s, PickTownship{"county"});
    apply(s, Step{+1});
    apply(s, PickOffice{"county-service-window"});
    apply(s, Step{+1});
    apply(s, PickWindow{"w1"});
    apply(s, Step{+1});
    CHECK(s.forms.rating_step == 3);
    apply(s, PickLevel{5});
    CHECK(rating_steps(s) == 4);
    apply(s, PickLevel{2});
    CHECK(rating_steps(s) == 5);
    apply(s, Step{+1});
    apply(s, ToggleReason{"attitude"});
    apply(s, ToggleReason{"fees"});
    apply(s, ToggleReason{"attitude"});
    auto d = rating_draft(s);
    CHECK(d.level == 2);
    CHECK(d.reasons == std::vector<std::string>{"fees"});
    // A higher level afterwards drops the reasons.
    apply(s, PickLevel{4});
    CHECK(rating_draft(s).reasons.empty());
    // Picking another township forgets the office and window.
    apply(s, PickTownship{"chengguan"});
    CHECK(s.forms.office.empty());
    CHECK(s.forms.window.empty());
}

TEST_CASE("after a submission its form is wiped and the receipt shown; home forgets the code") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::consult});
    type(s, "问题");
    ReceiptShown r;
    r.kind = kiosk::submit::Kind::consultation;
    r.code = "2026112700001232";
    apply(s, Submitted{r});
    CHECK(s.here().screen == ScreenId::receipt);
    CHECK(field_text(s, Field::consult_question).empty());
    CHECK(s.receipt.code == "2026112700001232");
    apply(s, GoHome{});
    CHECK(s.receipt.code.empty());
}

TEST_CASE("a refusal that closes the terminal keeps the form for when back is pressed") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::consult});
    type(s, "问题");
    apply(s, SubmitRefused{"本机存储空间已满", true});
    CHECK(s.here().screen == ScreenId::closed);
    CHECK(s.closed_reason == "本机存储空间已满");
    apply(s, GoBack{});
    CHECK(s.here().screen == ScreenId::consult);
    CHECK(field_text(s, Field::consult_question) == "问题");
    apply(s, SubmitRefused{"请 30 分钟后再评价", false});
    CHECK(s.here().screen == ScreenId::consult);
    CHECK(s.forms.problem == "请 30 分钟后再评价");
}

TEST_CASE("the idle countdown wipes every form, the receipt and the keyboard's mode") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::report});
    apply(s, PickReportCategory{"illegal-fees"});
    apply(s, PickIdentity{true});
    type(s, "赵六");
    apply(s, Key{"mode:handwriting"});
    apply(s, Elapsed{95});
    CHECK(s.counting_down());
    apply(s, Touched{});  // 继续 keeps the work
    CHECK(s.forms.report_category == "illegal-fees");
    apply(s, Elapsed{101});
    CHECK(s.here().screen == ScreenId::attract);
    CHECK(s.forms.report_category.empty());
    CHECK(s.forms.identity == 0);
    for (int f = 0; f < static_cast<int>(Field::count); ++f)
        CHECK(field_text(s, static_cast<Field>(f)).empty());
    CHECK(s.keyboard.mode == InputMode::pinyin);
}

TEST_CASE("opening a form starts it empty, whatever an earlier visitor left") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::consult});
    type(s, "上一位的问题");
    apply(s, GoHome{});
    apply(s, OpenForm{ScreenId::consult});
    CHECK(field_text(s, Field::consult_question).empty());
    CHECK(s.history.size() == 2);  // home, then the form: back leaves it
}

TEST_CASE("emoji, control characters and invalid UTF-8 never enter a field") {
    AppState s = at_home();
    apply(s, OpenForm{ScreenId::consult});
    type(s, "问\xF0\x9F\x98\x80题");          // 😀 between two characters
    type(s, std::string("\x01\x1b[31m", 7));  // control characters
    type(s, "\xE9\x97");                      // a cut-off character
    type(s, "\xE2\x80\xAE");                  // U+202E, right-to-left override
    std::string emoji;
    for (int i = 0; i < 5000; ++i)
        emoji += "\xF0\x9F\x91\x8D";  // 👍 5,000 times
    type(s, emoji);
    CHECK(field_text(s, Field::consult_question) == "问题[31m");
}
