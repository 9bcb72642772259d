// Submitter: checks in plain Chinese, sealing of everything personal, receipts only when durable,
// the rating cooldown, and no plaintext anywhere in the state database's files.
#include <doctest/doctest.h>
#include <sodium.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "submit/receipt_code.hpp"
#include "submit/sealing.hpp"
#include "submit/submitter.hpp"
#include "test_support.hpp"
#include "util/base64.hpp"

using namespace kiosk;
using namespace kiosk::submit;
using kiosk::testing::TempDir;

namespace {

struct County {
    SealPublicKey pk{};
    SealSecretKey sk{};
    std::string pk_b64;
    County() {
        REQUIRE(sodium_init() >= 0);
        crypto_box_keypair(pk.data(), sk.data());
        pk_b64 = util::base64_encode(pk.data(), pk.size());
    }
};

// A kiosk with an outbox in a temporary state dir, its clock in the test's hands.
struct Kiosk {
    TempDir dir;
    County county;
    int64_t now = 1795000000;
    Outbox outbox;
    Submitter submitter;
    explicit Kiosk(OutboxLimits limits = {}, bool with_key = true)
        : outbox(Outbox::open(dir / "kiosk.db", limits).value()),
          submitter(outbox, context(with_key)) {}
    SubmitContext context(bool with_key) {
        SubmitContext ctx;
        ctx.seal_public_key_base64 = with_key ? county.pk_b64 : "";
        ctx.bundle_version = 7;
        ctx.rating_cooldown_s = 30 * 60;
        ctx.now = [this] { return now; };
        return ctx;
    }
    nlohmann::json opened(const Submission& s) {
        auto plain = open_sealed(county.pk, county.sk, s.sealed);
        REQUIRE(plain.ok());
        return nlohmann::json::parse(*plain);
    }
    Submission only_item() {
        auto items = outbox.pending(10);
        REQUIRE(items.ok());
        REQUIRE(items->size() == 1);
        return items->front();
    }
};

ReportDraft real_name_report() {
    ReportDraft d;
    d.category = "illegal-fees";
    d.target_id = "chengguan-office";
    d.target_text = "城关镇计生办";
    d.what = "乡计生办王主任收了我五百元，没有开收据。";
    d.when = "上周三上午";
    d.real_name = true;
    d.name = "张三丰";
    d.phone = "13812345678";
    d.id_number = "11010519491231002X";
    return d;
}

std::string utf16le(const std::string& utf8) {
    std::string out;
    for (size_t i = 0; i < utf8.size();) {
        uint32_t cp = static_cast<uint8_t>(utf8[i]);
        int len = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (len > 1) cp &= 0x3F >> (len - 1);
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<uint8_t>(utf8[i + k]) & 0x3F);
        i += static_cast<size_t>(len);
        out.push_back(static_cast<char>(cp & 0xFF));
        out.push_back(static_cast<char>(cp >> 8));
    }
    return out;
}

std::string swap_bytes(std::string s) {
    for (size_t i = 0; i + 1 < s.size(); i += 2)
        std::swap(s[i], s[i + 1]);
    return s;
}

}  // namespace

TEST_CASE("a real-name report is sealed whole and its readable meta holds routing data only") {
    Kiosk k;
    auto receipt = k.submitter.submit(real_name_report());
    REQUIRE(receipt.ok());
    CHECK(receipt->kind == Kind::report);
    CHECK(receipt_code_valid(receipt->code));
    CHECK(receipt->created_at == k.now);
    CHECK(std::regex_match(receipt->id,
                           std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                      "[0-9a-f]{12}")));
    Submission s = k.only_item();
    CHECK(s.id == receipt->id);
    auto meta = nlohmann::json::parse(s.meta_json);
    CHECK(meta == nlohmann::json{{"kind", "report"},
                                 {"category", "illegal-fees"},
                                 {"real_name", true},
                                 {"created_at", k.now},
                                 {"bundle_version", 7},
                                 {"app_version", KIOSK_VERSION}});
    CHECK(s.lookup_key == *receipt_lookup_key(receipt->code, receipt_salt(k.county.pk)));
    auto sealed = k.opened(s);
    CHECK(sealed["id"] == receipt->id);
    CHECK(sealed["receipt_code"] == receipt->code);
    CHECK(sealed["what"] == "乡计生办王主任收了我五百元，没有开收据。");
    CHECK(sealed["target_text"] == "城关镇计生办");
    CHECK(sealed["when"] == "上周三上午");
    CHECK(sealed["name"] == "张三丰");
    CHECK(sealed["phone"] == "13812345678");
    CHECK(sealed["id_number"] == "11010519491231002X");
}

TEST_CASE("an anonymous report seals no name or number, even ones typed before switching") {
    Kiosk k;
    ReportDraft d = real_name_report();
    d.real_name = false;
    d.phone = "12";  // not checked either: it is not used
    REQUIRE(k.submitter.submit(d).ok());
    auto sealed = k.opened(k.only_item());
    CHECK(sealed["real_name"] == false);
    CHECK_FALSE(sealed.contains("name"));
    CHECK_FALSE(sealed.contains("phone"));
    CHECK_FALSE(sealed.contains("id_number"));
}

TEST_CASE("free text is cleaned before it is sealed") {
    Kiosk k;
    ReportDraft d = real_name_report();
    d.what = "收费\u202E五百\x01元\xff\t了";
    d.id_number = "11010519491231002x";
    REQUIRE(k.submitter.submit(d).ok());
    auto sealed = k.opened(k.only_item());
    CHECK(sealed["what"] == "收费五百元 了");
    CHECK(sealed["id_number"] == "11010519491231002X");
}

TEST_CASE("a draft with something missing or wrong is refused in Chinese and nothing is stored") {
    Kiosk k;
    auto refused = [&](auto draft, const char* words) {
        auto r = k.submitter.submit(draft);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "invalid");
        CHECK(r.error().message.find(words) != std::string::npos);
    };
    ReportDraft d = real_name_report();
    d.category.clear();
    refused(d, "类别");
    d = real_name_report();
    d.what = " \n\x01\u202E ";
    refused(d, "发生了什么");
    d = real_name_report();
    d.name = "";
    refused(d, "姓名");
    d = real_name_report();
    d.phone = "1381234567";
    refused(d, "11 位");
    d = real_name_report();
    d.id_number = "110105194912310021";
    refused(d, "校验码");
    RatingDraft r;
    r.target_id = "w1";
    r.level = 0;
    refused(r, "满意程度");
    r.level = 6;
    refused(r, "满意程度");
    r.level = 5;
    r.reasons = {"attitude"};
    refused(r, "不需要选择原因");
    r.level = 2;
    r.reasons = {"bribes"};
    refused(r, "列出的原因");
    r.target_id.clear();
    r.reasons.clear();
    refused(r, "窗口");
    ConsultationDraft c;
    refused(c, "咨询的问题");
    c.question = "生育登记要带什么？";
    c.phone = "999";
    refused(c, "手机号码");
    CHECK(k.outbox.stats()->depth == 0);
}

TEST_CASE("without a sealing key in the bundle nothing is taken and the person is told to call") {
    Kiosk k(OutboxLimits{}, false);
    CHECK(k.submitter.ready().error().code == "no_sealing_key");
    auto r = k.submitter.submit(real_name_report());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "no_sealing_key");
    CHECK(r.error().message.find("12356") != std::string::npos);
    RatingDraft rating;
    rating.target_id = "w1";
    rating.level = 5;
    CHECK(k.submitter.submit(rating).error().code == "no_sealing_key");
    CHECK(k.outbox.stats()->depth == 0);

    SubmitContext bad;
    bad.seal_public_key_base64 = "bm90IGEga2V5";  // base64, but not 32 bytes
    Submitter garbled(k.outbox, bad);
    CHECK(garbled.submit(rating).error().code == "no_sealing_key");
}

TEST_CASE("a rating has no receipt code and starts its window's cooldown on this terminal") {
    Kiosk k;
    RatingDraft r;
    r.target_id = "chengguan-office/1号窗口";
    r.level = 2;
    r.reasons = {"attitude", "fees", "attitude"};
    r.comment = "等了两个小时";
    auto first = k.submitter.submit(r);
    REQUIRE(first.ok());
    CHECK(first->code.empty());
    Submission s = k.only_item();
    CHECK(s.lookup_key.empty());
    CHECK(nlohmann::json::parse(s.meta_json)["reasons"] ==
          nlohmann::json::array({"attitude", "fees"}));
    CHECK(nlohmann::json::parse(s.meta_json)["level"] == 2);
    CHECK(s.meta_json.find("等了") == std::string::npos);
    CHECK(k.opened(s)["comment"] == "等了两个小时");

    k.now += 10 * 60;
    auto again = k.submitter.submit(r);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "cooldown");
    CHECK(again.error().message.find("20 分钟") != std::string::npos);
    CHECK(*k.submitter.rating_blocked_until(r.target_id) ==
          std::optional<int64_t>(first->created_at + 30 * 60));
    RatingDraft other = r;
    other.target_id = "chengguan-office/2号窗口";
    CHECK(k.submitter.submit(other).ok());  // another window is not blocked
    k.now += 20 * 60;
    CHECK_FALSE(k.submitter.rating_blocked_until(r.target_id)->has_value());
    CHECK(k.submitter.submit(r).ok());
}

TEST_CASE("a consultation gets a receipt code; its question and phone are sealed") {
    Kiosk k;
    ConsultationDraft c;
    c.question = "再生育审批需要哪些材料？";
    c.phone = "15912345678";
    auto receipt = k.submitter.submit(c);
    REQUIRE(receipt.ok());
    CHECK(receipt_code_valid(receipt->code));
    Submission s = k.only_item();
    CHECK(nlohmann::json::parse(s.meta_json)["kind"] == "consultation");
    CHECK(s.meta_json.find("15912345678") == std::string::npos);
    auto sealed = k.opened(s);
    CHECK(sealed["question"] == c.question);
    CHECK(sealed["phone"] == c.phone);
}

TEST_CASE("a full outbox refuses with the words for the person and no receipt") {
    OutboxLimits limits;
    limits.max_items = 1;
    Kiosk k(limits);
    ConsultationDraft c;
    c.question = "问题";
    REQUIRE(k.submitter.submit(c).ok());
    auto r = k.submitter.submit(c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "full");
    CHECK(r.error().message.find("12356") != std::string::npos);
}

TEST_CASE("no name, phone, ID number, sentence or receipt code reaches the state files") {
    Kiosk k;
    ReportDraft d = real_name_report();
    auto receipt = k.submitter.submit(d);
    REQUIRE(receipt.ok());
    ConsultationDraft c;
    c.question = d.what;
    c.phone = d.phone;
    auto second = k.submitter.submit(c);
    REQUIRE(second.ok());
    const std::vector<std::string> secrets = {d.name,       d.phone,       d.id_number, d.what,
                                              "王主任收了", receipt->code, second->code};
    auto scan = [&](const char* when) {
        int files = 0;
        for (const auto& entry : std::filesystem::directory_iterator(k.dir.path())) {
            const std::string bytes = kiosk::testing::read_text(entry.path().string());
            ++files;
            for (const auto& secret : secrets) {
                CAPTURE(when);
                CAPTURE(entry.path().string());
                CAPTURE(secret);
                CHECK(bytes.find(secret) == std::string::npos);
                CHECK(bytes.find(utf16le(secret)) == std::string::npos);
                CHECK(bytes.find(swap_bytes(utf16le(secret))) == std::string::npos);
            }
        }
        return files;
    };
    CHECK(scan("with the outbox open (WAL and shm present)") >= 2);
    k.outbox = Outbox::open(k.dir / "spare.db", {}).value();  // closes kiosk.db: checkpoint
    scan("after the WAL was checkpointed into the database");
}
