// HTTPS to the county hub with libcurl: one easy handle reused across requests (its connection
// stays open between them), the peer and its host name always verified against the configured CA
// file only (no setting turns that off), an optional public-key pin, timeouts and a low-speed
// cut-off, capped answers, and errors sorted into what the sync worker must tell apart.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::sync {

struct HttpSettings {
    std::string base_url;    // "https://hub.example:8443"; only https is ever used
    std::string ca_file;     // PEM; the only certificates trusted (not the system store)
    std::string pin_sha256;  // "sha256//BASE64" or bare BASE64 of the hub's public key; "" none
    long connect_timeout_s = 10;
    long timeout_s = 60;              // a whole API request (downloads: only the low-speed limit)
    long low_speed_bytes = 64;        // a transfer slower than this many bytes per second ...
    long low_speed_time_s = 30;       // ... for this many seconds is cut off ("timeout")
    size_t max_body_bytes = 1 << 20;  // an API answer larger than this is refused ("too_large")
};

struct HttpResponse {
    long status = 0;
    std::string body;
    int64_t retry_after_s = -1;  // from Retry-After (seconds or an HTTP date); -1 when absent
    std::string etag;
};

// What a download did: `resumed_from` > 0 when it continued a partial file.
struct DownloadResult {
    int64_t bytes = 0;
    int64_t resumed_from = 0;
};

// Error codes of a request that got no HTTP answer: "refused" (nothing listens), "dns",
// "timeout" (connect, total or too slow), "reset" (the connection dropped), "truncated" (the
// answer stopped short), "tls" (the certificate or host name did not verify, or the handshake
// failed), "pin" (the public key is not the pinned one), "too_large", "network" (others), and
// "config" (no CA file, not an https URL). Messages carry curl's own words.
bool is_transport_error(const Error& e);

// Seconds until the time Retry-After names: "120" or an HTTP date, against `now` (the hub's Date
// header when it sent one). -1 when the value is neither.
int64_t parse_retry_after(std::string_view value, int64_t now);

// The hub's error answer as one sentence: "HTTP 400 malformed: items[0].id is not a UUID".
std::string describe_http_error(const HttpResponse& r);

struct HttpExchange;  // what one request collects (http_client.cpp)

class HttpClient {
public:
    explicit HttpClient(HttpSettings settings);
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    void set_bearer(std::string token) { bearer_ = std::move(token); }
    // While *flag is true a request in flight stops at once ("cancelled"): stop() of the worker.
    void set_cancel_flag(const std::atomic<bool>* flag) { cancel_ = flag; }
    const HttpSettings& settings() const { return settings_; }

    // Any HTTP status is a response; only a missing answer is an error.
    Result<HttpResponse> get(const std::string& path);
    Result<HttpResponse> post_json(const std::string& path, const std::string& body);

    // GET path into `dest`, continuing a partial file with Range: bytes=N- (a 206 must start at
    // N; a 200 starts the file again). A cut transfer leaves the partial file for the next call.
    // The finished file must be `size` bytes with this sha256 (hex), else it is deleted
    // ("corrupt"); a 416 deletes it too ("range"), so the next call starts from the beginning.
    Result<DownloadResult> download(const std::string& path, const std::string& dest, int64_t size,
                                    const std::string& sha256_hex);

    // Connections opened so far (a reused connection does not count): tests check reuse.
    int64_t connections_opened() const { return connections_; }

private:
    Result<HttpResponse> perform(const std::string& path, const std::string* post_body,
                                 HttpExchange& ex, bool for_download);

    HttpSettings settings_;
    std::string bearer_;
    const std::atomic<bool>* cancel_ = nullptr;
    struct Handle;
    std::unique_ptr<Handle> handle_;
    int64_t connections_ = 0;
};

}  // namespace kiosk::sync
