// HubApi: routing, authentication and the five endpoints of sync/protocol.hpp, without sockets.
#include "hub/hub_api.hpp"

#include <sodium.h>

#include <cstdio>

#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace kiosk::hub {

namespace {

constexpr std::string_view kEnrollPath = "/api/v1/enroll";
constexpr std::string_view kSubmissionsPath = "/api/v1/submissions";
constexpr std::string_view kHeartbeatPath = "/api/v1/heartbeat";
constexpr std::string_view kBundlesPrefix = "/api/v1/bundles/";
constexpr std::string_view kReceiptsPrefix = "/api/v1/receipts/";

enum class Route { none, enroll, submissions, heartbeat, bundle, signature, receipt };

struct Match {
    Route route = Route::none;
    int64_t version = 0;
    std::string key;
};

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "<N>.kbundle" or "<N>.kbundle.minisig", N digits only (no sign, no leading zero, no dots):
// nothing else under /bundles names a file, so no path can reach outside the publish folder.
bool parse_bundle_name(std::string_view name, int64_t& version, bool& signature) {
    signature = ends_with(name, ".kbundle.minisig");
    std::string_view suffix = signature ? ".kbundle.minisig" : ".kbundle";
    if (!ends_with(name, suffix)) return false;
    std::string_view digits = name.substr(0, name.size() - suffix.size());
    if (digits.empty() || digits.size() > 18 || digits[0] == '0') return false;
    int64_t v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    version = v;
    return true;
}

Match match(std::string_view path) {
    Match m;
    if (path == kEnrollPath) {
        m.route = Route::enroll;
    } else if (path == kSubmissionsPath) {
        m.route = Route::submissions;
    } else if (path == kHeartbeatPath) {
        m.route = Route::heartbeat;
    } else if (starts_with(path, kBundlesPrefix)) {
        bool signature = false;
        if (parse_bundle_name(path.substr(kBundlesPrefix.size()), m.version, signature))
            m.route = signature ? Route::signature : Route::bundle;
    } else if (starts_with(path, kReceiptsPrefix)) {
        std::string_view key = path.substr(kReceiptsPrefix.size());
        if (!key.empty() && key.find('/') == std::string_view::npos) {
            m.route = Route::receipt;
            m.key = std::string(key);
        }
    }
    return m;
}

HttpResponse json(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

HttpResponse error(int status, const std::string& code, const std::string& message) {
    return json(status, sync::encode(sync::ErrorBody{code, message}));
}

// A storage failure: the detail goes to the hub's log, the terminal hears "try again".
HttpResponse internal(const Error& e) {
    std::fprintf(stderr, "kiosk-hub: storage error (%s): %s\n", e.code.c_str(), e.message.c_str());
    HttpResponse r = error(503, "unavailable", "the hub cannot store or read right now");
    r.headers.emplace_back("Retry-After", "5");
    return r;
}

std::string random_hex(size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                   raw.size());
    hex.pop_back();
    sodium_memzero(raw.data(), raw.size());
    return hex;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

// Does an If-None-Match header name this entity tag ("*", a list, weak or strong)?
bool etag_matches(std::string_view header, const std::string& etag) {
    if (header.empty()) return false;
    size_t pos = 0;
    while (pos < header.size()) {
        size_t comma = header.find(',', pos);
        std::string_view item = header.substr(
            pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
            item.remove_suffix(1);
        if (item == "*") return true;
        if (starts_with(item, "W/")) item.remove_prefix(2);
        if (item == etag) return true;
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return false;
}

struct ByteRange {
    bool present = false;      // a single byte range was asked for
    bool satisfiable = false;  // and it overlaps the file
    uint64_t first = 0, length = 0;
};

// "bytes=A-B", "bytes=A-" or "bytes=-N" against a file of `size` bytes. Anything else
// (several ranges, another unit, bad syntax) is ignored and the whole file is sent (RFC 9110).
ByteRange parse_range(std::string_view header, uint64_t size) {
    ByteRange r;
    if (!starts_with(header, "bytes=")) return r;
    std::string_view spec = header.substr(6);
    size_t dash = spec.find('-');
    if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) return r;
    auto number = [](std::string_view s, uint64_t& out) {
        if (s.empty() || s.size() > 19) return false;
        out = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return false;
            out = out * 10 + uint64_t(c - '0');
        }
        return true;
    };
    std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    uint64_t first = 0, last = 0;
    if (a.empty()) {  // the last N bytes
        if (!number(b, last)) return r;
        r.present = true;
        if (last == 0 || size == 0) return r;
        r.satisfiable = true;
        r.length = std::min(last, size);
        r.first = size - r.length;
        return r;
    }
    if (!number(a, first)) return r;
    if (!b.empty() && (!number(b, last) || last < first)) return r;
    r.present = true;
    if (first >= size) return r;
    r.satisfiable = true;
    r.first = first;
    const uint64_t end = b.empty() ? size - 1 : std::min(last, size - 1);
    r.length = end - first + 1;
    return r;
}

std::string normalize_code(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c == '-' || c == ' ') continue;
        out += (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
    }
    return out;
}

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
    const std::string want = lower(name);
    for (const auto& [k, v] : headers)
        if (lower(k) == want) return v;
    return "";
}

HubApi::HubApi(HubConfig cfg, StorePool& pool)
    : cfg_(std::move(cfg)), pool_(pool), receipts_limiter_(cfg_.limits.receipt_lookups_per_minute) {
    if (sodium_init() < 0) std::fprintf(stderr, "kiosk-hub: libsodium cannot start\n");
}

std::string HubApi::loggable_path(std::string_view path) {
    if (starts_with(path, kReceiptsPrefix)) return std::string(kReceiptsPrefix) + "…";
    std::string out;
    for (unsigned char c : path.substr(0, 200)) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += char(c);
        } else {
            char esc[5];
            std::snprintf(esc, sizeof esc, "\\x%02x", c);
            out += esc;
        }
    }
    if (path.size() > 200) out += "…";
    return out;
}

HttpResponse HubApi::handle(const HttpRequest& req) {
    const Match m = match(req.path);
    if (m.route == Route::none) return error(404, "not_found", "no such resource");
    const bool is_get = req.method == "GET" || req.method == "HEAD";
    const bool wants_post =
        m.route == Route::enroll || m.route == Route::submissions || m.route == Route::heartbeat;
    if (wants_post ? req.method != "POST" : !is_get) {
        HttpResponse r =
            error(405, "method_not_allowed", "use " + std::string(wants_post ? "POST" : "GET"));
        r.headers.emplace_back("Allow", wants_post ? "POST" : "GET, HEAD");
        return r;
    }
    if (req.body.size() > cfg_.limits.max_body_bytes)
        return error(413, "too_large", "the request body is larger than the hub accepts");

    auto store = pool_.acquire();
    if (!store) return internal(store.error());
    if (m.route == Route::enroll) return enroll(req, **store);

    // Everything else needs a terminal's token.
    const std::string auth = req.header("Authorization");
    std::string token;
    if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ") token = auth.substr(7);
    if (token.empty() || token.size() > 256) {
        HttpResponse r = error(401, "unauthorized", "no bearer token");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    auto terminal = (*store)->terminal_by_token(secret_hash(token));
    sodium_memzero(token.data(), token.size());
    if (!terminal) return internal(terminal.error());
    if (!*terminal || (*terminal)->revoked_at) {
        HttpResponse r = error(401, "unauthorized",
                               *terminal ? "this terminal's token was revoked" : "unknown token");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    const Terminal& t = **terminal;
    switch (m.route) {
    case Route::submissions:
        return submissions(req, **store, t);
    case Route::heartbeat:
        return heartbeat(req, **store, t);
    case Route::bundle:
    case Route::signature:
        return bundle(req, **store, m.version, m.route == Route::signature);
    case Route::receipt:
        return receipt(req, **store, t, m.key);
    default:
        return error(404, "not_found", "no such resource");
    }
}

HttpResponse HubApi::enroll(const HttpRequest& req, HubStore& store) {
    auto msg = sync::decode_enroll_request(req.body);
    if (!msg) return error(400, "malformed", msg.error().message);
    const std::string code = normalize_code(msg->code);
    const int64_t now = util::wall_now();
    sync::EnrollResponse answer;
    answer.kiosk_id = "k-" + random_hex(8);
    answer.token = random_hex(32);
    answer.server_time = now;
    auto township = store.enroll(secret_hash(code), answer.kiosk_id, secret_hash(answer.token),
                                 msg->hostname, now);
    if (!township) {
        if (township.error().code == "bad_code")
            return error(403, "bad_code", "the enrolment code is unknown, used or expired");
        return internal(township.error());
    }
    answer.township = *township;
    std::fprintf(stderr, "kiosk-hub: enrolled terminal %s (%s) for township %s\n",
                 answer.kiosk_id.c_str(), loggable_path(msg->hostname).c_str(),
                 loggable_path(answer.township).c_str());
    HttpResponse r = json(200, sync::encode(answer));
    sodium_memzero(answer.token.data(), answer.token.size());
    return r;
}

Result<Catalog> HubApi::catalog(HubStore& store) {
    auto latest = store.latest_bundle();
    if (!latest) return latest.error();
    const int64_t version = *latest ? (*latest)->version : 0;
    std::lock_guard<std::mutex> lock(catalog_mutex_);
    if (version != catalog_version_) {
        auto fresh = published_catalog(store, cfg_.publish_dir);
        if (!fresh) return fresh.error();
        catalog_ = std::move(*fresh);
        catalog_version_ = version;
    }
    return catalog_;
}

HttpResponse HubApi::submissions(const HttpRequest& req, HubStore& store, const Terminal& t) {
    auto batch = sync::decode_submission_batch(req.body);
    if (!batch) return error(400, "malformed", batch.error().message);
    auto cat = catalog(store);
    if (!cat) return internal(cat.error());
    std::vector<BatchEntry> entries;
    entries.reserve(batch->items.size());
    for (const auto& item : batch->items)
        entries.push_back(BatchEntry{&item, reject_reason(item, *cat)});
    const int64_t now = util::wall_now();
    auto results = store.store_batch(entries, t.id, "api", now, now + cfg_.reply_days * 86400);
    if (!results) return internal(results.error());
    return json(200, sync::encode(sync::SubmissionResults{std::move(*results), now}));
}

HttpResponse HubApi::heartbeat(const HttpRequest& req, HubStore& store, const Terminal& t) {
    auto hb = sync::decode_heartbeat(req.body);
    if (!hb) return error(400, "malformed", hb.error().message);
    const int64_t now = util::wall_now();
    if (Status st = store.record_heartbeat(t.id, *hb, now); !st) return internal(st.error());
    auto offer = store.bundle_for_township(t.township);
    if (!offer) return internal(offer.error());
    sync::HeartbeatAnswer answer;
    answer.server_time = now;
    if (*offer) {
        const PublishedBundle& b = **offer;
        const std::string base = std::string(kBundlesPrefix) + std::to_string(b.version);
        answer.bundle = sync::BundleOffer{b.version, base + ".kbundle", base + ".kbundle.minisig",
                                          b.size, b.sha256};
    }
    return json(200, sync::encode(answer));
}

HttpResponse HubApi::bundle(const HttpRequest& req, HubStore& store, int64_t version,
                            bool signature) {
    auto b = store.bundle(version);
    if (!b) return internal(b.error());
    if (!*b)
        return error(404, "not_found", "no bundle " + std::to_string(version) + " is published");
    const PublishedBundle& pb = **b;
    const std::string etag = "\"" + (signature ? pb.sig_sha256 : pb.sha256) + "\"";
    HttpResponse r;
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("Cache-Control", "no-cache");
    if (etag_matches(req.header("If-None-Match"), etag)) {
        r.status = 304;
        r.content_type.clear();
        return r;
    }
    const std::string path = cfg_.publish_dir + "/" + (signature ? pb.sig_file : pb.file);
    if (signature) {
        auto text = util::read_file(path, 1 << 20);
        if (!text) return internal(text.error());
        r.content_type = "text/plain";
        r.body = std::move(*text);
        return r;
    }
    const uint64_t size = uint64_t(pb.size);
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Accept-Ranges", "bytes");
    r.file = path;
    r.file_offset = 0;
    r.file_length = size;
    const std::string if_range = req.header("If-Range");
    const std::string range_header = req.header("Range");
    if (!range_header.empty() && (if_range.empty() || if_range == etag)) {
        ByteRange range = parse_range(range_header, size);
        if (range.present && !range.satisfiable) {
            HttpResponse bad = error(416, "range_not_satisfiable", "the range is past the end");
            bad.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
            return bad;
        }
        if (range.present) {
            r.status = 206;
            r.file_offset = range.first;
            r.file_length = range.length;
            r.headers.emplace_back("Content-Range",
                                   "bytes " + std::to_string(range.first) + "-" +
                                       std::to_string(range.first + range.length - 1) + "/" +
                                       std::to_string(size));
        }
    }
    return r;
}

HttpResponse HubApi::receipt(const HttpRequest& req, HubStore& store, const Terminal& t,
                             const std::string& key) {
    if (int wait = receipts_limiter_.take(t.id, req.arrival); wait > 0) {
        HttpResponse r = error(429, "rate_limited", "too many receipt look-ups from this terminal");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    if (!sync::is_lookup_key(key))
        return error(400, "malformed", "the look-up key is not 64 lowercase hex digits");
    auto found = store.receipt(key);
    if (!found) return internal(found.error());
    HttpResponse r = *found ? json(200, sync::encode(**found))
                            : error(404, "not_found", "no submission has this receipt");
    r.headers.emplace_back("Cache-Control", "no-store");
    r.not_before = req.arrival + std::chrono::milliseconds(cfg_.limits.receipt_delay_ms);
    return r;
}

}  // namespace kiosk::hub
