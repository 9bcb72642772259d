// 举报投诉: category → who → what happened → when → anonymous or real name → review and consent.
// Each step is one question; back (the bar's 返回 or 上一步) keeps everything typed.
#include <functional>
#include <string>

#include "../form_widgets.hpp"
#include "../probe.hpp"
#include "../widgets.hpp"
#include "screens.hpp"

namespace kiosk::ui::screens {

namespace {

const char* const kWhen[] = {"今天", "昨天", "最近一周", "最近一个月", "更早以前", "记不清了"};

struct Frame {
    ImVec2 origin, size;
    float x, w;
};

// A step with a list that scrolls between the header and the step row.
void list_step(const View& v, const Frame& f, int step, const char* question, Actions& out,
               const std::function<void()>& items, const char* next_label = "下一步") {
    const Metrics& m = v.m;
    ImGui::SetCursorScreenPos(ImVec2(f.x, f.origin.y));
    forms::step_header(v, step, kReportSteps, question, f.x, f.w);
    const float top = ImGui::GetCursorScreenPos().y;
    const float nav_y = f.origin.y + f.size.y - forms::step_nav_height(v, f.w);
    ImGui::SetCursorScreenPos(ImVec2(f.origin.x, top));
    begin_scroll("##report-list", ImVec2(f.size.x, nav_y - top - m.gap * 0.5f), m,
                 v.state.generation, 0);
    ImGui::Dummy(ImVec2(1, m.gap * 0.3f));
    items();
    end_scroll(m);
    forms::step_nav(v, f.x, nav_y, f.w, step == 0, next_label, out);
}

// A typing step: the header, the text box(es), the step row, and the keyboard at the bottom.
float typing_top(const View& v, const Frame& f, int step, const char* question) {
    ImGui::SetCursorScreenPos(ImVec2(f.x, f.origin.y));
    forms::step_header(v, step, kReportSteps, question, f.x, f.w);
    return ImGui::GetCursorScreenPos().y;
}

void typing_bottom(const View& v, const Frame& f, int step, float top, Actions& out,
                   const char* next_label = "下一步") {
    forms::typing_nav(v, f.origin, f.size, f.x, f.w, top, step == 0, next_label, out);
    forms::keyboard_for_field(v, f.origin, f.size, f.x, f.w, out);
}

std::string masked_phone(const std::string& p) {
    return p.size() == 11 ? p.substr(0, 3) + "****" + p.substr(7) : p;
}

}  // namespace

void report(const View& v, Actions& out, ImVec2 size) {
    const Metrics& m = v.m;
    const Forms& fm = v.state.forms;
    const forms::Column col = forms::column(v, size);
    const Frame f{col.origin, size, col.x, col.w};
    const int step = fm.report_step;

    if (step == 0) {
        list_step(v, f, step, "您要反映哪一类问题？", out, [&] {
            for (const auto& c : v.lib.report_categories) {
                std::string id = "##rc-" + c.id;
                if (forms::choice_card(v, id.c_str(), c.name, c.description,
                                       fm.report_category == c.id, f.x, f.w)) {
                    out.push_back(PickReportCategory{c.id});
                    out.push_back(Step{+1});
                }
            }
        });
        return;
    }
    if (step == 1 && fm.report_target != kWriteOwnTarget) {
        list_step(
            v, f, step, "涉及哪个单位？不清楚可以跳过，也可以自己写。", out,
            [&] {
                if (forms::choice_card(v, "##rt-own", "自己写单位或人员",
                                       "例如：某某窗口穿蓝衣服的工作人员", false, f.x, f.w)) {
                    out.push_back(PickReportTarget{kWriteOwnTarget});
                }
                for (const auto* office : v.lib.targets_under("", "office")) {
                    const auto* town = v.lib.target(office->parent);
                    std::string id = "##rt-" + office->id;
                    if (forms::choice_card(v, id.c_str(), office->name, town ? town->name : "",
                                           fm.report_target == office->id, f.x, f.w)) {
                        out.push_back(PickReportTarget{office->id});
                        out.push_back(Step{+1});
                    }
                }
            },
            fm.report_target.empty() ? "跳过" : "下一步");
        return;
    }
    if (step == 1) {  // their own words
        const float y = typing_top(v, f, step, "请写下是哪个单位或哪位工作人员（可以不写）");
        const auto area = forms::typing_area(v, f.origin, f.size, f.x, f.w, y);
        ImGui::SetCursorScreenPos(ImVec2(area.x, area.y));
        forms::text_box(v, Field::report_target, "在这里写，例如：城关镇计生办",
                        ImVec2(area.w, std::min(area.h, m.touch * 2.2f)), false, out);
        typing_bottom(v, f, step, y, out);
        return;
    }
    if (step == 2) {
        const float y = typing_top(v, f, step, "发生了什么？请写下经过，写几句就可以。");
        const auto area = forms::typing_area(v, f.origin, f.size, f.x, f.w, y);
        ImGui::SetCursorScreenPos(ImVec2(area.x, area.y));
        forms::text_box(v, Field::report_what, "点这里，用下面的键盘写；不会拼音可以点“手写”",
                        ImVec2(area.w, std::max(area.h - small(v).px * 1.3f, m.touch)), true, out);
        typing_bottom(v, f, step, y, out);
        return;
    }
    if (step == 3) {
        ImGui::SetCursorScreenPos(ImVec2(f.x, f.origin.y));
        forms::step_header(v, step, kReportSteps, "大概是什么时候？（可以不选）", f.x, f.w);
        float x = f.x, y = ImGui::GetCursorScreenPos().y + m.gap * 0.5f;
        for (const char* w : kWhen) {
            const float cw = forms::chip_width(v, w);
            if (x + cw > f.x + f.w) x = f.x, y += m.touch + m.gap;
            std::string id = std::string("##when-") + w;
            if (forms::chip(v, id.c_str(), w, fm.report_when == w, ImVec2(x, y)))
                out.push_back(PickWhen{w});
            x += cw + m.gap;
        }
        forms::step_nav(v, f.x, f.origin.y + size.y - forms::step_nav_height(v, f.w), f.w, false,
                        fm.report_when.empty() ? "跳过" : "下一步", out);
        return;
    }
    if (step == 4 && fm.identity != 2) {
        list_step(v, f, step, "匿名举报，还是实名举报？", out, [&] {
            if (forms::choice_card(v, "##anonymous", "匿名举报",
                                   "不留姓名和电话。凭回执码可以查询办理进度和结果，"
                                   "同样会被认真调查处理。",
                                   fm.identity == 1, f.x, f.w)) {
                out.push_back(PickIdentity{false});
                out.push_back(Step{+1});
            }
            if (forms::choice_card(v, "##real-name", "实名举报",
                                   "留下姓名和手机号码，便于核实情况和告诉您结果；"
                                   "查证属实的，可以按规定领取举报奖励。"
                                   "您的信息加密保存，本机和窗口工作人员都看不到。",
                                   false, f.x, f.w)) {
                out.push_back(PickIdentity{true});
            }
        });
        return;
    }
    if (step == 4) {  // real name: name, mobile, optional ID number
        const float y = typing_top(v, f, step, "实名举报：请留下姓名和手机号码");
        const auto area = forms::typing_area(v, f.origin, f.size, f.x, f.w, y);
        const int cols = m.portrait ? 1 : 3;
        const float bw = (area.w - (cols - 1) * m.gap) / cols;
        struct Box {
            Field field;
            const char* label;
            const char* hint;
        };
        const Box boxes[] = {{Field::report_name, "姓名", "点这里写姓名"},
                             {Field::report_phone, "手机号码", "11 位手机号码"},
                             {Field::report_id, "身份证号（可不填）", "18 位身份证号"}};
        TextStyle label = small(v);
        label.color = color::text_muted;
        for (int i = 0; i < 3; ++i) {
            const float bx = m.portrait ? area.x : area.x + i * (bw + m.gap);
            const float by = m.portrait ? y + i * (m.touch + label.px * 1.5f + m.gap * 0.5f) : y;
            draw_line_clipped(boxes[i].label, label, ImVec2(bx, by), bw);
            ImGui::SetCursorScreenPos(ImVec2(bx, by + label.px * 1.4f));
            forms::text_box(v, boxes[i].field, boxes[i].hint, ImVec2(bw, m.touch), false, out);
        }
        typing_bottom(v, f, step, y, out);
        return;
    }
    // Review: everything once more, then an explicit consent before anything is sealed.
    ImGui::SetCursorScreenPos(ImVec2(f.x, f.origin.y));
    forms::step_header(v, step, kReportSteps, "请核对，确认后提交", f.x, f.w);
    const float top = ImGui::GetCursorScreenPos().y;
    const float nav_y = f.origin.y + size.y - forms::step_nav_height(v, f.w);
    // The consent stays in view below the summary, which scrolls when it is long.
    const char* consent =
        "以上内容是我了解的真实情况。提交后立即加密，只有县里负责处理举报的人员能打开；"
        "诬告陷害要承担法律责任。";
    const float consent_h = forms::choice_card_height(v, consent, f.w);
    const float consent_y = nav_y - consent_h - m.gap * 0.6f;
    ImGui::SetCursorScreenPos(ImVec2(f.origin.x, top));
    begin_scroll("##review", ImVec2(size.x, consent_y - top - m.gap * 0.5f), m, v.state.generation,
                 0);
    TextStyle label = small(v);
    label.color = color::accent;
    TextStyle b = body(v);
    // Label and answer side by side, so the whole report fits above the consent.
    const float label_w = text_width("涉及单位或人员", label) + m.gap;
    auto row = [&](const char* name, const std::string& value) {
        const float y = ImGui::GetCursorScreenPos().y + m.gap * 0.3f;
        draw_line_clipped(name, label, ImVec2(f.x, y + (b.px - label.px) * 0.7f), label_w);
        ImGui::SetCursorScreenPos(ImVec2(f.x + label_w, y));
        draw_wrapped(value.empty() ? "（未填）" : value, b, f.w - label_w);
    };
    std::string category;
    for (const auto& c : v.lib.report_categories)
        if (c.id == fm.report_category) category = c.name;
    std::string target;
    if (const auto* t = v.lib.target(fm.report_target)) target = t->name;
    if (fm.report_target == kWriteOwnTarget) target = field_text(v.state, Field::report_target);
    row("问题类型", category);
    row("涉及单位或人员", target);
    row("发生了什么", field_text(v.state, Field::report_what));
    row("时间", fm.report_when);
    row("身份", fm.identity == 2 ? "实名：" + field_text(v.state, Field::report_name) + "，" +
                                       masked_phone(field_text(v.state, Field::report_phone))
                                 : "匿名");
    ImGui::Dummy(ImVec2(1, m.gap * 0.5f));
    end_scroll(m);
    ImGui::SetCursorScreenPos(ImVec2(f.x, consent_y));
    if (forms::choice_card(v, "##consent", "我确认", consent, fm.consent, f.x, f.w))
        out.push_back(ToggleConsent{});
    const Action submit =
        step_problem(v.state).empty() ? Action{Submit{submit::Kind::report}} : Action{Step{+1}};
    forms::step_nav(v, f.x, nav_y, f.w, false, "提交", out, &submit);
}

}  // namespace kiosk::ui::screens
