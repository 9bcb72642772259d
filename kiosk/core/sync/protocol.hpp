// The kiosk ↔ hub protocol (DESIGN.md, Sync): HTTPS + JSON under /api/v1. The one place both
// sides take their message shapes from: the kiosk's sync worker encodes requests and decodes
// answers with these functions, the hub decodes requests and encodes answers with the same ones,
// so the two cannot drift apart. Every decoder takes untrusted bytes and returns an Error
// {"malformed", what is wrong} instead of throwing.
//
// Endpoints (all bodies JSON, UTF-8; every error answer is {"error": code, "message": text}):
//   POST /api/v1/enroll                 EnrollRequest → 200 EnrollResponse
//                                       403 bad_code (unknown, used or expired code)
//   POST /api/v1/submissions   (Bearer) SubmissionBatch → 200 SubmissionResults, one per item
//   POST /api/v1/heartbeat     (Bearer) Heartbeat → 200 HeartbeatAnswer
//   GET  /api/v1/bundles/<N>.kbundle    (Bearer) the published bundle N; Range, ETag (its sha256),
//   GET  /api/v1/bundles/<N>.kbundle.minisig      If-None-Match; 404 for anything else
//   GET  /api/v1/receipts/<lookup key>  (Bearer) → 200 ReceiptAnswer, 404 not_found
//        The look-up key is what the kiosk stored with the item (64 hex digits of Argon2id over the
//        code with the county salt, submit::receipt_lookup_key): the code itself never leaves the
//        terminal and the hub does no Argon2 work per request. The hub answers known and unknown
//        keys after the same fixed delay and rate-limits look-ups per terminal (429 + Retry-After).
// Common answers: 400 malformed, 401 unauthorized (no, unknown or revoked token), 413 too_large,
// 429 rate_limited (Retry-After), 5xx (the kiosk retries).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "submit/outbox.hpp"
#include "util/result.hpp"

namespace kiosk::sync {

inline constexpr const char* kApiPrefix = "/api/v1";
inline constexpr size_t kMaxBatchItems = 100;         // items in one POST /submissions
inline constexpr size_t kMaxSealedBytes = 64 * 1024;  // one item's sealed payload
inline constexpr size_t kMaxMetaBytes = 4 * 1024;     // one item's metadata, as JSON
inline constexpr size_t kMaxRequestBytes = 8u << 20;  // any request body

// ---- enroll ----
struct EnrollRequest {
    std::string code;         // from `kiosk-hub enroll-code`
    std::string hostname;     // informative
    std::string app_version;  // informative
};
struct EnrollResponse {
    std::string kiosk_id;  // "k-" + 16 hex
    std::string token;     // the bearer token; the hub keeps only its hash
    std::string township;
    int64_t server_time = 0;
};

// ---- submissions ----
struct WireItem {
    std::string id;  // UUID v4 text
    submit::Kind kind = submit::Kind::report;
    int64_t created_at = 0;
    std::string meta_json;   // the routing metadata object, as JSON text (outbox meta)
    std::string sealed;      // raw bytes (base64 on the wire)
    std::string lookup_key;  // 64 lowercase hex digits, or empty (ratings)
};
struct SubmissionBatch {
    std::vector<WireItem> items;  // 1..kMaxBatchItems
};
enum class ItemOutcome { stored, duplicate, rejected };
struct ItemResult {
    std::string id;
    ItemOutcome outcome = ItemOutcome::stored;
    std::string reason;  // rejected only: a stable word, e.g. "unknown_category", "bad_meta"
};
struct SubmissionResults {
    std::vector<ItemResult> results;  // in the order of the batch
    int64_t server_time = 0;
};

// ---- heartbeat ----
struct Heartbeat {
    std::string app_version;
    int64_t bundle_version = 0;     // installed; 0 when none
    int64_t queue_depth = 0;        // pending outbox items
    int64_t oldest_item_age_s = 0;  // 0 when the queue is empty
    int64_t dead_letters = 0;
    int64_t free_disk_bytes = 0;  // of the state directory's filesystem
    int64_t clock = 0;            // the kiosk's own wall clock, Unix seconds
    int64_t last_upload_at = 0;   // 0 when never
    std::string last_error;       // the sync worker's, or a refused bundle's; empty when none
};
struct BundleOffer {
    int64_t version = 0;
    std::string url;            // path under the hub, e.g. /api/v1/bundles/7.kbundle
    std::string signature_url;  // e.g. /api/v1/bundles/7.kbundle.minisig
    int64_t size = 0;
    std::string sha256;  // hex, also the ETag
};
struct HeartbeatAnswer {
    int64_t server_time = 0;
    std::optional<BundleOffer> bundle;  // the bundle meant for this terminal, if any
};

// ---- receipts ----
struct ReceiptAnswer {
    std::string status;  // received | in_progress | answered | closed
    std::string reply;   // the county's answer; empty until there is one
    int64_t updated_at = 0;
};

// ---- errors ----
struct ErrorBody {
    std::string error;    // stable word
    std::string message;  // one sentence
};

const char* outcome_name(ItemOutcome o);
bool is_lookup_key(std::string_view s);  // 64 lowercase hex digits
bool is_known_status(std::string_view s);

std::string encode(const EnrollRequest& m);
std::string encode(const EnrollResponse& m);
std::string encode(const SubmissionBatch& m);
std::string encode(const SubmissionResults& m);
std::string encode(const Heartbeat& m);
std::string encode(const HeartbeatAnswer& m);
std::string encode(const ReceiptAnswer& m);
std::string encode(const ErrorBody& m);

Result<EnrollRequest> decode_enroll_request(std::string_view body);
Result<EnrollResponse> decode_enroll_response(std::string_view body);
// Structure only (types, sizes, base64, id syntax, 1..kMaxBatchItems items). Whether a category
// or target exists is the hub's business (it answers "rejected" per item).
Result<SubmissionBatch> decode_submission_batch(std::string_view body);
Result<SubmissionResults> decode_submission_results(std::string_view body);
Result<Heartbeat> decode_heartbeat(std::string_view body);
Result<HeartbeatAnswer> decode_heartbeat_answer(std::string_view body);
Result<ReceiptAnswer> decode_receipt_answer(std::string_view body);
Result<ErrorBody> decode_error_body(std::string_view body);

// One item object alone: a line of a `kioskctl outbox export` file has the same shape.
Result<WireItem> decode_wire_item(std::string_view json_object);

// The outbox's row as it goes on the wire.
WireItem to_wire(const submit::Submission& s);

}  // namespace kiosk::sync
