// Submissions from the kiosk's forms to the outbox, with the fault seams the kill and disk tests
// use: KIOSK_FAULT_KILL_AT=outbox:begun|outbox:inserted|outbox:committed|receipt (SIGKILL there)
// and KIOSK_FAULT_STATE_DISK_FULL_AFTER=BYTES (the disk fills after that many bytes of SQLite
// writes: every write after fails with SQLITE_FULL, mid-transaction).
#include "submission_desk.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "store/fault_vfs.hpp"
#include "submit/escpos.hpp"
#include "submit/qr.hpp"
#include "submit/receipt_code.hpp"
#include "submit/submitter.hpp"
#include "util/clock.hpp"

namespace kiosk::app {

namespace {

void kill_if_asked(const std::string& at) {
    const char* target = std::getenv("KIOSK_FAULT_KILL_AT");
    if (target && at == target) std::raise(SIGKILL);
}

constexpr const char* kCannotStore =
    "本机存储出现问题，暂时不能保存新的举报、评价和咨询。工作人员会尽快处理。";

// The person's words for each refusal; the code decides whether the whole terminal is closed.
ui::Action refusal(const Error& e) {
    if (e.code == "invalid" || e.code == "cooldown") return ui::SubmitRefused{e.message, false};
    if (e.code == "no_sealing_key" || e.code == "full") return ui::SubmitRefused{e.message, true};
    if (e.code == "disk_full") {
        return ui::SubmitRefused{"本机存储空间已满，这次填写的内容没有保存。", true};
    }
    std::fprintf(stderr, "kiosk: a submission could not be queued (%s)\n", e.code.c_str());
    return ui::SubmitRefused{kCannotStore, true};
}

std::string date_text(int64_t t) {
    return util::format_utc_time(t + 8 * 3600, "%Y年%m月%d日 %H:%M");  // China Standard Time
}

}  // namespace

SubmissionDesk::SubmissionDesk(config::Config cfg)
    : cfg_(std::move(cfg)), lookup_(std::make_shared<sync::OfflineReceiptLookup>()) {}

submit::Outbox* SubmissionDesk::outbox() {
    if (outbox_) return &*outbox_;
    submit::OutboxSeams seams;
    seams.checkpoint = [](const char* step) { kill_if_asked(std::string("outbox:") + step); };
    if (const char* bytes = std::getenv("KIOSK_FAULT_STATE_DISK_FULL_AFTER"))
        store::install_disk_full_vfs(std::strtoll(bytes, nullptr, 10));
    auto opened = submit::Outbox::open(submit::state_database_path(cfg_.state_dir),
                                       submit::outbox_limits(cfg_), seams);
    if (!opened) {
        if (outbox_error_ != opened.error().message) {
            outbox_error_ = opened.error().message;
            std::fprintf(stderr, "kiosk: the outbox cannot be opened: %s\n", outbox_error_.c_str());
        }
        return nullptr;
    }
    outbox_.emplace(std::move(*opened));
    return &*outbox_;
}

std::string SubmissionDesk::closed_reason(const store::ContentStore* store) {
    if (!store || store->meta().seal_public_key.empty()) {
        return "本机的公开内容缺少加密设置，暂时不能受理举报、评价和咨询。";
    }
    submit::Outbox* box = outbox();
    if (!box) return kCannotStore;
    auto stats = box->stats();
    if (!stats) return kCannotStore;
    const auto limits = submit::outbox_limits(cfg_);
    auto free = util::free_disk_bytes(cfg_.state_dir);
    if (static_cast<uint64_t>(stats->depth) >= limits.max_items ||
        static_cast<uint64_t>(stats->bytes) >= limits.max_bytes ||
        (free && *free < limits.min_free_disk_bytes)) {
        return "本机待上传的内容已满（可能是网络中断较久），暂时不能受理新的举报、评价和咨询。";
    }
    return "";
}

ui::Action SubmissionDesk::submit(const ui::AppState& state, const store::ContentStore* store,
                                  submit::Kind kind) {
    if (!store) return ui::SubmitRefused{kCannotStore, true};
    submit::Outbox* box = outbox();
    if (!box) return ui::SubmitRefused{kCannotStore, true};
    submit::SubmitContext ctx;
    ctx.seal_public_key_base64 = store->meta().seal_public_key;
    ctx.bundle_version = store->meta().version;
    ctx.rating_cooldown_s = cfg_.rating_cooldown_s;
    submit::Submitter submitter(*box, ctx);
    auto done = kind == submit::Kind::report   ? submitter.submit(ui::report_draft(state))
                : kind == submit::Kind::rating ? submitter.submit(ui::rating_draft(state))
                                               : submitter.submit(ui::consultation_draft(state));
    if (!done) return refusal(done.error());
    kill_if_asked("receipt");  // durable, not yet shown
    ui::ReceiptShown shown;
    shown.kind = done->kind;
    shown.code = done->code;
    shown.created_at = done->created_at;
    if (!shown.code.empty()) {
        if (auto qr = submit::make_qr(shown.code)) {
            shown.qr_size = qr->size;
            shown.qr = std::move(qr->dark);
        }
        if (!cfg_.printer_device.empty()) {
            submit::PrintedReceipt paper;
            paper.title =
                kind == submit::Kind::report ? "阳光终端 · 举报回执" : "阳光终端 · 咨询回执";
            paper.code_formatted = submit::format_receipt_code(shown.code);
            paper.date_text = date_text(shown.created_at);
            paper.how_to_check = "凭回执码在阳光终端“进度查询”或拨打 12356 查询办理进度和答复。";
            auto printed =
                submit::print_receipt(cfg_.printer_device, submit::escpos_receipt(paper));
            shown.printed = printed.ok();
            if (!printed)
                std::fprintf(stderr, "kiosk: the receipt printer failed: %s\n",
                             printed.error().message.c_str());
        }
    }
    return ui::Submitted{std::move(shown)};
}

namespace {

std::string status_words(const std::string& status) {
    if (status == "received") return "已受理，等待办理";
    if (status == "in_progress") return "正在办理";
    if (status == "answered") return "已答复";
    if (status == "closed") return "已办结";
    return status;
}

ui::LookupAnswer answer_for(const Result<sync::ReceiptStatus>& got) {
    if (!got) {
        const std::string& code = got.error().code;
        if (code == "offline" || code == "network" || code == "timeout")
            return {"现在连不上县里的网络，暂时查不到。请稍后再试，或拨打阳光热线 12356 查询。"};
        if (code == "not_found")
            return {"没有查到这个回执码。刚提交的内容可能还没有送达，请过一段时间再查。"};
        if (code == "rate_limited") return {"查询的人较多，请过一分钟再试。"};
        return {"暂时查不到，请稍后再试或拨打 12356。"};
    }
    std::string text = "办理状态：" + status_words(got->status);
    if (!got->reply.empty()) text += "\n答复：" + got->reply;
    return {text};
}

}  // namespace

void SubmissionDesk::set_receipt_lookup(std::shared_ptr<sync::ReceiptLookup> lookup,
                                        std::function<void()> wake) {
    lookup_ = std::move(lookup);
    wake_ = std::move(wake);
}

ui::Action SubmissionDesk::look_up(const std::string& code) {
    if (!submit::receipt_code_valid(code)) return ui::LookupAnswer{"回执码不对，请核对后再查询。"};
    if (pending_lookup_.valid()) return ui::LookupPending{};  // still asking about it
    asked_code_ = code;
    // The look-up key (Argon2id, ~0.1 s) and the hub's answer (up to its timeout) are waited
    // for on their own thread; the screen says it is asking meanwhile.
    pending_lookup_ = std::async(std::launch::async, [lookup = lookup_, wake = wake_, code] {
        Result<sync::ReceiptStatus> got = lookup->look_up(code);
        if (wake) wake();
        return got;
    });
    return ui::LookupPending{};
}

std::optional<ui::Action> SubmissionDesk::poll_lookup(bool wait, const std::string& code_now) {
    if (!pending_lookup_.valid()) return std::nullopt;
    if (!wait && pending_lookup_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return std::nullopt;
    Result<sync::ReceiptStatus> got = pending_lookup_.get();
    // An answer for a code no longer on the screen (edited, or the person left) is dropped.
    if (code_now != asked_code_) return std::nullopt;
    return ui::Action{answer_for(got)};
}

}  // namespace kiosk::app
