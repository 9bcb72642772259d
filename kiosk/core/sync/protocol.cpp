// The kiosk ↔ hub messages as JSON: strict decoders for untrusted bodies, plain encoders.
#include "sync/protocol.hpp"

#include <nlohmann/json.hpp>

#include "util/base64.hpp"
#include "util/utf8.hpp"

namespace kiosk::sync {

namespace {

using Json = nlohmann::json;

Error malformed(std::string what) {
    return make_error("malformed", std::move(what));
}

// Parses an object; nlohmann never throws here (allow_exceptions=false).
Result<Json> parse_object(std::string_view body) {
    if (body.size() > kMaxRequestBytes) return malformed("the body is too large");
    Json j = Json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded()) return malformed("the body is not JSON");
    if (!j.is_object()) return malformed("the body is not a JSON object");
    return j;
}

// Field readers: each refuses a missing field or a wrong type with the field's name.
Result<std::string> get_string(const Json& j, const char* key, size_t max_bytes,
                               bool required = true) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) return malformed(std::string("'") + key + "' is missing");
        return std::string();
    }
    if (!it->is_string()) return malformed(std::string("'") + key + "' is not a string");
    const std::string& s = it->get_ref<const std::string&>();
    if (s.size() > max_bytes) return malformed(std::string("'") + key + "' is too long");
    if (util::find_invalid_utf8(s) != std::string_view::npos)
        return malformed(std::string("'") + key + "' is not UTF-8");
    return s;
}

Result<int64_t> get_int(const Json& j, const char* key, bool required = true) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) return malformed(std::string("'") + key + "' is missing");
        return int64_t{0};
    }
    if (!it->is_number_integer()) return malformed(std::string("'") + key + "' is not an integer");
    return it->get<int64_t>();
}

bool is_hex(std::string_view s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-')) return false;
        if (!dash && !is_hex(s.substr(i, 1))) return false;
    }
    return true;
}

Json item_json(const WireItem& it) {
    Json meta = Json::parse(it.meta_json, nullptr, false);
    return Json{{"id", it.id},
                {"kind", submit::kind_name(it.kind)},
                {"created_at", it.created_at},
                {"meta", meta.is_discarded() ? Json::object() : meta},
                {"sealed", util::base64_encode(reinterpret_cast<const uint8_t*>(it.sealed.data()),
                                               it.sealed.size())},
                {"lookup_key", it.lookup_key}};
}

Result<WireItem> item_from_json(const Json& j) {
    if (!j.is_object()) return malformed("an item is not an object");
    WireItem it;
    auto id = get_string(j, "id", 64);
    if (!id) return id.error();
    if (!is_uuid(*id)) return malformed("an item's 'id' is not a UUID");
    it.id = *id;
    auto kind = get_string(j, "kind", 32);
    if (!kind) return kind.error();
    auto k = submit::kind_from_name(*kind);
    if (!k) return malformed("item " + it.id + ": unknown kind '" + *kind + "'");
    it.kind = *k;
    auto created = get_int(j, "created_at");
    if (!created) return created.error();
    it.created_at = *created;
    auto meta = j.find("meta");
    if (meta == j.end() || !meta->is_object())
        return malformed("item " + it.id + ": 'meta' is not an object");
    it.meta_json = meta->dump();
    if (it.meta_json.size() > kMaxMetaBytes)
        return malformed("item " + it.id + ": 'meta' is too large");
    auto sealed = get_string(j, "sealed", kMaxSealedBytes * 4 / 3 + 4);
    if (!sealed) return sealed.error();
    std::string raw(sealed->size() * 3 / 4 + 3, '\0');
    auto n = util::base64_decode(*sealed, reinterpret_cast<uint8_t*>(raw.data()), raw.size());
    if (!n || *n == 0) return malformed("item " + it.id + ": 'sealed' is not base64");
    raw.resize(*n);
    it.sealed = std::move(raw);
    auto key = get_string(j, "lookup_key", 64, false);
    if (!key) return key.error();
    if (!key->empty() && !is_lookup_key(*key))
        return malformed("item " + it.id + ": 'lookup_key' is not 64 hex digits");
    it.lookup_key = *key;
    return it;
}

}  // namespace

const char* outcome_name(ItemOutcome o) {
    switch (o) {
    case ItemOutcome::stored:
        return "stored";
    case ItemOutcome::duplicate:
        return "duplicate";
    case ItemOutcome::rejected:
        return "rejected";
    }
    return "rejected";
}

bool is_lookup_key(std::string_view s) {
    return s.size() == 64 && is_hex(s);
}

bool is_known_status(std::string_view s) {
    return s == "received" || s == "in_progress" || s == "answered" || s == "closed";
}

std::string encode(const EnrollRequest& m) {
    return Json{{"code", m.code}, {"hostname", m.hostname}, {"app_version", m.app_version}}.dump();
}
std::string encode(const EnrollResponse& m) {
    return Json{{"kiosk_id", m.kiosk_id},
                {"token", m.token},
                {"township", m.township},
                {"server_time", m.server_time}}
        .dump();
}
std::string encode(const SubmissionBatch& m) {
    Json items = Json::array();
    for (const auto& it : m.items)
        items.push_back(item_json(it));
    return Json{{"items", std::move(items)}}.dump();
}
std::string encode(const SubmissionResults& m) {
    Json results = Json::array();
    for (const auto& r : m.results) {
        Json o{{"id", r.id}, {"status", outcome_name(r.outcome)}};
        if (r.outcome == ItemOutcome::rejected) o["reason"] = r.reason;
        results.push_back(std::move(o));
    }
    return Json{{"results", std::move(results)}, {"server_time", m.server_time}}.dump();
}
std::string encode(const Heartbeat& m) {
    return Json{{"app_version", m.app_version},
                {"bundle_version", m.bundle_version},
                {"queue_depth", m.queue_depth},
                {"oldest_item_age_s", m.oldest_item_age_s},
                {"dead_letters", m.dead_letters},
                {"free_disk_bytes", m.free_disk_bytes},
                {"clock", m.clock},
                {"last_upload_at", m.last_upload_at},
                {"last_error", m.last_error}}
        .dump();
}
std::string encode(const HeartbeatAnswer& m) {
    Json j{{"server_time", m.server_time}, {"bundle", nullptr}};
    if (m.bundle)
        j["bundle"] = Json{{"version", m.bundle->version},
                           {"url", m.bundle->url},
                           {"signature_url", m.bundle->signature_url},
                           {"size", m.bundle->size},
                           {"sha256", m.bundle->sha256}};
    return j.dump();
}
std::string encode(const ReceiptAnswer& m) {
    return Json{{"status", m.status}, {"reply", m.reply}, {"updated_at", m.updated_at}}.dump();
}
std::string encode(const ErrorBody& m) {
    return Json{{"error", m.error}, {"message", m.message}}.dump();
}

Result<EnrollRequest> decode_enroll_request(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    EnrollRequest m;
    auto code = get_string(*j, "code", 64);
    if (!code) return code.error();
    if (code->empty()) return malformed("'code' is empty");
    m.code = *code;
    auto host = get_string(*j, "hostname", 255, false);
    if (!host) return host.error();
    m.hostname = *host;
    auto ver = get_string(*j, "app_version", 64, false);
    if (!ver) return ver.error();
    m.app_version = *ver;
    return m;
}

Result<EnrollResponse> decode_enroll_response(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    EnrollResponse m;
    auto id = get_string(*j, "kiosk_id", 64);
    if (!id) return id.error();
    auto token = get_string(*j, "token", 256);
    if (!token) return token.error();
    if (token->empty()) return malformed("'token' is empty");
    auto township = get_string(*j, "township", 256, false);
    if (!township) return township.error();
    auto t = get_int(*j, "server_time", false);
    if (!t) return t.error();
    m.kiosk_id = *id;
    m.token = *token;
    m.township = *township;
    m.server_time = *t;
    return m;
}

Result<SubmissionBatch> decode_submission_batch(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    auto items = j->find("items");
    if (items == j->end() || !items->is_array()) return malformed("'items' is not an array");
    if (items->empty()) return malformed("'items' is empty");
    if (items->size() > kMaxBatchItems)
        return malformed("more than " + std::to_string(kMaxBatchItems) + " items in one batch");
    SubmissionBatch m;
    m.items.reserve(items->size());
    for (const auto& it : *items) {
        auto item = item_from_json(it);
        if (!item) return item.error();
        m.items.push_back(std::move(*item));
    }
    return m;
}

Result<SubmissionResults> decode_submission_results(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    auto results = j->find("results");
    if (results == j->end() || !results->is_array()) return malformed("'results' is not an array");
    SubmissionResults m;
    for (const auto& r : *results) {
        if (!r.is_object()) return malformed("a result is not an object");
        ItemResult ir;
        auto id = get_string(r, "id", 64);
        if (!id) return id.error();
        ir.id = *id;
        auto status = get_string(r, "status", 32);
        if (!status) return status.error();
        if (*status == "stored")
            ir.outcome = ItemOutcome::stored;
        else if (*status == "duplicate")
            ir.outcome = ItemOutcome::duplicate;
        else if (*status == "rejected")
            ir.outcome = ItemOutcome::rejected;
        else
            return malformed("unknown result status '" + *status + "'");
        auto reason = get_string(r, "reason", 256, ir.outcome == ItemOutcome::rejected);
        if (!reason) return reason.error();
        ir.reason = *reason;
        m.results.push_back(std::move(ir));
    }
    auto t = get_int(*j, "server_time", false);
    if (!t) return t.error();
    m.server_time = *t;
    return m;
}

Result<Heartbeat> decode_heartbeat(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    Heartbeat m;
    auto ver = get_string(*j, "app_version", 64, false);
    if (!ver) return ver.error();
    m.app_version = *ver;
    auto err = get_string(*j, "last_error", 1024, false);
    if (!err) return err.error();
    m.last_error = *err;
    struct {
        const char* key;
        int64_t* out;
    } ints[] = {{"bundle_version", &m.bundle_version},       {"queue_depth", &m.queue_depth},
                {"oldest_item_age_s", &m.oldest_item_age_s}, {"dead_letters", &m.dead_letters},
                {"free_disk_bytes", &m.free_disk_bytes},     {"clock", &m.clock},
                {"last_upload_at", &m.last_upload_at}};
    for (auto& f : ints) {
        auto v = get_int(*j, f.key, false);
        if (!v) return v.error();
        *f.out = *v;
    }
    return m;
}

Result<HeartbeatAnswer> decode_heartbeat_answer(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    HeartbeatAnswer m;
    auto t = get_int(*j, "server_time");
    if (!t) return t.error();
    m.server_time = *t;
    auto b = j->find("bundle");
    if (b != j->end() && !b->is_null()) {
        if (!b->is_object()) return malformed("'bundle' is not an object");
        BundleOffer o;
        auto v = get_int(*b, "version");
        if (!v) return v.error();
        auto url = get_string(*b, "url", 512);
        if (!url) return url.error();
        auto sig = get_string(*b, "signature_url", 512);
        if (!sig) return sig.error();
        auto size = get_int(*b, "size");
        if (!size) return size.error();
        auto sha = get_string(*b, "sha256", 64);
        if (!sha) return sha.error();
        if (sha->size() != 64 || !is_hex(*sha)) return malformed("'sha256' is not 64 hex digits");
        if (*v <= 0 || *size <= 0) return malformed("the bundle's version or size is not positive");
        o.version = *v;
        o.url = *url;
        o.signature_url = *sig;
        o.size = *size;
        o.sha256 = *sha;
        m.bundle = std::move(o);
    }
    return m;
}

Result<ReceiptAnswer> decode_receipt_answer(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    ReceiptAnswer m;
    auto status = get_string(*j, "status", 32);
    if (!status) return status.error();
    if (!is_known_status(*status)) return malformed("unknown receipt status '" + *status + "'");
    auto reply = get_string(*j, "reply", 16 * 1024, false);
    if (!reply) return reply.error();
    auto t = get_int(*j, "updated_at", false);
    if (!t) return t.error();
    m.status = *status;
    m.reply = *reply;
    m.updated_at = *t;
    return m;
}

Result<ErrorBody> decode_error_body(std::string_view body) {
    auto j = parse_object(body);
    if (!j) return j.error();
    auto e = get_string(*j, "error", 64);
    if (!e) return e.error();
    auto msg = get_string(*j, "message", 1024, false);
    if (!msg) return msg.error();
    return ErrorBody{*e, *msg};
}

Result<WireItem> decode_wire_item(std::string_view json_object) {
    auto j = parse_object(json_object);
    if (!j) return j.error();
    return item_from_json(*j);
}

WireItem to_wire(const submit::Submission& s) {
    return WireItem{s.id, s.kind, s.created_at, s.meta_json, s.sealed, s.lookup_key};
}

}  // namespace kiosk::sync
