// Submitter: check, clean, seal and queue a draft; the receipt exists only once it is durable.
#include "submit/submitter.hpp"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sign/seal_keys.hpp"
#include "submit/sealing.hpp"
#include "submit/validate.hpp"

namespace kiosk::submit {

namespace {

using Json = nlohmann::ordered_json;

const char* const kAllowedReasons[] = {"attitude", "efficiency", "fees", "openness", "other"};

Error invalid(const char* message) {
    return make_error("invalid", message);
}

// Best effort: overwrites every string in a JSON tree before it is freed. (Copies the allocator
// made while the strings grew are out of reach; the sealed form is all that is ever stored.)
void wipe(Json& j) {
    if (j.is_string()) {
        auto& s = j.get_ref<std::string&>();
        sodium_memzero(s.data(), s.size());
    } else if (j.is_structured()) {
        for (auto& child : j)
            wipe(child);
    }
}

struct WipedJson {
    Json j = Json::object();
    ~WipedJson() { wipe(j); }
};

struct WipedString {
    std::string s;
    ~WipedString() { sodium_memzero(s.data(), s.size()); }
};

Result<SealPublicKey> county_key(const std::string& b64) {
    auto key = b64.empty() ? Result<SealPublicKey>(make_error("format", "none"))
                           : sign::parse_seal_public_key(b64);
    if (!key) {
        return make_error("no_sealing_key", "本终端现在不能受理举报、评价和咨询（缺少加密密钥）。"
                                            "请拨打监督热线 12356，或到窗口反映。");
    }
    return *key;
}

// The outbox's refusals, in the words the person at the screen reads.
Error for_person(const Error& e) {
    if (e.code == "full" || e.code == "disk_full") {
        return make_error(e.code, "本终端暂时存满了，现在不能受理。您的内容没有保存。"
                                  "请稍后再试，或拨打监督热线 12356。");
    }
    return make_error(e.code, "本终端出了故障，现在不能受理，您的内容没有保存。"
                              "请拨打监督热线 12356。");
}

}  // namespace

std::string new_uuid_v4(const RandomFill& random) {
    uint8_t b[16];
    if (random) {
        random(b, sizeof b);
    } else {
        static const int ready = sodium_init();
        (void)ready;
        randombytes_buf(b, sizeof b);
    }
    b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, b, sizeof b);
    std::string h(hex, 32);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

Submitter::Submitter(Outbox& outbox, SubmitContext ctx) : outbox_(outbox), ctx_(std::move(ctx)) {
    if (!ctx_.now) ctx_.now = util::wall_now;
}

Status Submitter::ready() const {
    auto key = county_key(ctx_.seal_public_key_base64);
    if (!key) return key.error();
    return {};
}

namespace {

// Adds id, time and versions, seals `secret`, and queues the item; the receipt code (when asked
// for) goes into the sealed part and, as an Argon2id hash, into the look-up key.
Result<Receipt> seal_and_queue(Outbox& outbox, const SubmitContext& ctx, const SealPublicKey& pk,
                               Kind kind, bool with_code, const std::string& rating_target,
                               Json& secret, Json& meta) {
    Receipt receipt;
    receipt.kind = kind;
    receipt.id = new_uuid_v4(ctx.random);
    receipt.created_at = ctx.now();
    Submission item;
    item.id = receipt.id;
    item.kind = kind;
    item.created_at = receipt.created_at;
    item.rating_target = rating_target;
    if (with_code) {
        receipt.code = new_receipt_code(ctx.random);
        auto key = receipt_lookup_key(receipt.code, receipt_salt(pk));
        if (!key) return for_person(key.error());
        item.lookup_key = *key;
        secret["receipt_code"] = receipt.code;
    }
    secret["id"] = receipt.id;
    secret["kind"] = kind_name(kind);
    secret["created_at"] = receipt.created_at;
    meta["created_at"] = receipt.created_at;
    meta["bundle_version"] = ctx.bundle_version;
    meta["app_version"] = ctx.app_version;
    item.meta_json = meta.dump();
    {
        WipedString plain{secret.dump()};
        auto sealed = seal(pk, plain.s);
        if (!sealed) return for_person(sealed.error());
        item.sealed = std::move(*sealed);
    }
    if (Status st = outbox.enqueue(item); !st) {
        sodium_memzero(receipt.code.data(), receipt.code.size());
        return for_person(st.error());
    }
    return receipt;
}

}  // namespace

Result<Receipt> Submitter::submit(const ReportDraft& d) {
    auto pk = county_key(ctx_.seal_public_key_base64);
    if (!pk) return pk.error();
    if (d.category.empty()) return invalid("请选择举报的类别。");
    WipedJson secret;
    secret.j["category"] = d.category;
    secret.j["target_id"] = d.target_id;
    secret.j["target_text"] = clean_text(d.target_text, kMaxNameChars * 4);
    secret.j["what"] = clean_text(d.what, kMaxReportChars);
    secret.j["when"] = clean_text(d.when, kMaxNameChars * 2);
    secret.j["real_name"] = d.real_name;
    if (secret.j["what"].get_ref<std::string&>().find_first_not_of(" \n") == std::string::npos) {
        return invalid("请写下发生了什么。");
    }
    if (d.real_name) {
        // Anonymous reports never carry a name or number, even one typed before switching.
        secret.j["name"] = clean_text(d.name, kMaxNameChars);
        if (secret.j["name"].get_ref<std::string&>().find_first_not_of(' ') == std::string::npos) {
            return invalid("实名举报请填写您的姓名。");
        }
        if (auto problem = mobile_problem(d.phone)) return make_error("invalid", *problem);
        secret.j["phone"] = d.phone;
        if (!d.id_number.empty()) {
            if (auto problem = id_number_problem(d.id_number, ctx_.now())) {
                return make_error("invalid", *problem);
            }
            std::string id = d.id_number;
            if (id.back() == 'x') id.back() = 'X';
            secret.j["id_number"] = id;
            sodium_memzero(id.data(), id.size());
        }
    }
    WipedJson meta;
    meta.j["kind"] = "report";
    meta.j["category"] = d.category;
    meta.j["real_name"] = d.real_name;
    return seal_and_queue(outbox_, ctx_, *pk, Kind::report, true, "", secret.j, meta.j);
}

Result<Receipt> Submitter::submit(const RatingDraft& d) {
    auto pk = county_key(ctx_.seal_public_key_base64);
    if (!pk) return pk.error();
    if (d.target_id.empty()) return invalid("请选择要评价的窗口。");
    if (d.level < 1 || d.level > 5) return invalid("请选择满意程度（从非常满意到非常不满意）。");
    std::vector<std::string> reasons;
    for (const auto& r : d.reasons) {
        if (d.level > 3) return invalid("满意的评价不需要选择原因。");
        if (std::find(std::begin(kAllowedReasons), std::end(kAllowedReasons), r) ==
            std::end(kAllowedReasons)) {
            return invalid("请从列出的原因中选择。");
        }
        if (std::find(reasons.begin(), reasons.end(), r) == reasons.end()) reasons.push_back(r);
    }
    auto until = rating_blocked_until(d.target_id);
    if (!until) return for_person(until.error());
    if (*until) {
        const int64_t minutes = (**until - ctx_.now() + 59) / 60;
        return make_error("cooldown", "这个窗口刚刚在本终端评价过。为防止重复，请 " +
                                          std::to_string(minutes) +
                                          " 分钟后再评价。谢谢您的意见。");
    }
    WipedJson secret;
    secret.j["target_id"] = d.target_id;
    secret.j["level"] = d.level;
    secret.j["reasons"] = reasons;
    secret.j["comment"] = clean_text(d.comment, kMaxCommentChars);
    WipedJson meta;
    meta.j["kind"] = "rating";
    meta.j["target_id"] = d.target_id;
    meta.j["level"] = d.level;
    meta.j["reasons"] = reasons;
    return seal_and_queue(outbox_, ctx_, *pk, Kind::rating, false, d.target_id, secret.j, meta.j);
}

Result<Receipt> Submitter::submit(const ConsultationDraft& d) {
    auto pk = county_key(ctx_.seal_public_key_base64);
    if (!pk) return pk.error();
    WipedJson secret;
    secret.j["question"] = clean_text(d.question, kMaxReportChars);
    if (secret.j["question"].get_ref<std::string&>().find_first_not_of(" \n") ==
        std::string::npos) {
        return invalid("请写下您想咨询的问题。");
    }
    if (!d.phone.empty()) {
        if (auto problem = mobile_problem(d.phone)) return make_error("invalid", *problem);
        secret.j["phone"] = d.phone;
    }
    WipedJson meta;
    meta.j["kind"] = "consultation";
    return seal_and_queue(outbox_, ctx_, *pk, Kind::consultation, true, "", secret.j, meta.j);
}

Result<std::optional<int64_t>> Submitter::rating_blocked_until(const std::string& target) {
    auto last = outbox_.last_rating_at(target);
    if (!last) return last.error();
    if (!*last || ctx_.rating_cooldown_s <= 0) return std::optional<int64_t>();
    // A clock set back after a rating must not block the window for the size of the jump.
    const int64_t now = ctx_.now();
    const int64_t until = std::min(**last, now) + ctx_.rating_cooldown_s;
    if (now >= until) return std::optional<int64_t>();
    return std::optional<int64_t>(until);
}

}  // namespace kiosk::submit
