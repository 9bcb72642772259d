// libcurl behind HttpClient: options set afresh for every request on one reused easy handle
// (curl_easy_reset keeps the live connection and the TLS session), answers collected with caps.
#include "sync/http_client.hpp"

#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <mutex>

#include <sodium.h>

#include "sync/protocol.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace kiosk::sync {

struct HttpClient::Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl) curl_easy_cleanup(curl);
    }
};

// What one request collects. Download fields are used only by download().
struct HttpExchange {
    CURL* curl = nullptr;
    std::string body;
    size_t body_cap = 0;
    bool body_overflow = false;
    std::string retry_after, date, etag, content_range;
    // download
    std::FILE* file = nullptr;
    int64_t offset = 0;    // bytes already in the file when the answer started
    int64_t written = 0;   // bytes of this answer written to the file
    int64_t limit = 0;     // the file may not grow past this
    bool decided = false;  // first body bytes seen and the status checked
    bool to_file = false;
    std::string abort_reason;
    bool discard_partial = false;  // what the file holds cannot be resumed: start over next time
};

namespace {

std::once_flag g_curl_init;

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    return s.substr(i);
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
    auto* ex = static_cast<HttpExchange*>(user);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a 100 or a redirect): start over
        ex->retry_after.clear(), ex->date.clear(), ex->etag.clear(), ex->content_range.clear();
        return size * n;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos) return size * n;
    std::string name = line.substr(0, colon);
    for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = trim(line.substr(colon + 1));
    if (name == "retry-after")
        ex->retry_after = value;
    else if (name == "date")
        ex->date = value;
    else if (name == "etag")
        ex->etag = value;
    else if (name == "content-range")
        ex->content_range = value;
    return size * n;
}

// "bytes 100-199/200" -> 100; -1 when it is not that form.
int64_t range_start(const std::string& content_range) {
    if (content_range.rfind("bytes ", 0) != 0) return -1;
    char* end = nullptr;
    long long v = std::strtoll(content_range.c_str() + 6, &end, 10);
    if (end == content_range.c_str() + 6 || *end != '-') return -1;
    return v;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
    auto* ex = static_cast<HttpExchange*>(user);
    const size_t len = size * n;
    if (ex->file && !ex->decided) {
        ex->decided = true;
        long status = 0;
        curl_easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &status);
        if (status == 206) {
            if (range_start(ex->content_range) != ex->offset) {
                ex->abort_reason = "the hub answered a range request with the wrong range (" +
                                   ex->content_range + "); starting again from the beginning";
                ex->discard_partial = true;
                return 0;
            }
            ex->to_file = true;
        } else if (status == 200) {  // the whole file again: start it over
            if (ex->offset > 0) {
                if (std::fflush(ex->file) != 0 || ::ftruncate(fileno(ex->file), 0) != 0 ||
                    std::fseek(ex->file, 0, SEEK_SET) != 0) {
                    ex->abort_reason = "cannot restart the download file";
                    return 0;
                }
                ex->offset = 0;
            }
            ex->to_file = true;
        }
    }
    if (ex->to_file) {
        if (ex->offset + ex->written + int64_t(len) > ex->limit) {
            ex->abort_reason = "the download is larger than the offer said";
            ex->discard_partial = true;
            return 0;
        }
        if (std::fwrite(data, 1, len, ex->file) != len) {
            ex->abort_reason = "cannot write the download file (disk full?)";
            return 0;
        }
        ex->written += int64_t(len);
        return len;
    }
    if (ex->body.size() + len > ex->body_cap) {
        ex->body_overflow = true;
        return 0;
    }
    ex->body.append(data, len);
    return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* flag = static_cast<const std::atomic<bool>*>(user);
    return flag && flag->load() ? 1 : 0;
}

Error classify(CURLcode rc, const char* errbuf, const std::string& url) {
    std::string text = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    std::string where = " (" + url + ")";
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        return make_error("refused", "cannot connect to the hub: " + text + where);
    case CURLE_COULDNT_RESOLVE_HOST:
        return make_error("dns", "the hub's name does not resolve: " + text + where);
    case CURLE_OPERATION_TIMEDOUT:
        return make_error("timeout", "the hub did not answer in time: " + text + where);
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return make_error("pin", "the hub's public key is not the pinned one: " + text + where);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return make_error("tls", "TLS with the hub failed: " + text + where);
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
        return make_error("reset", "the connection to the hub dropped: " + text + where);
    case CURLE_ABORTED_BY_CALLBACK:
        return make_error("cancelled", "the request was cancelled (the worker is stopping)");
    case CURLE_PARTIAL_FILE:
        return make_error("truncated", "the hub's answer stopped short: " + text + where);
    default:
        return make_error("network", "network error talking to the hub: " + text + where);
    }
}

}  // namespace

bool is_transport_error(const Error& e) {
    return e.code == "refused" || e.code == "dns" || e.code == "timeout" || e.code == "reset" ||
           e.code == "truncated" || e.code == "tls" || e.code == "pin" || e.code == "too_large" ||
           e.code == "network";
}

int64_t parse_retry_after(std::string_view value, int64_t now) {
    std::string v = trim(std::string(value));
    if (v.empty()) return -1;
    bool digits = true;
    for (char c : v)
        digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits) return v.size() > 9 ? 999999999 : std::stoll(v);
    time_t at = curl_getdate(v.c_str(), nullptr);
    if (at == -1) return -1;
    return at > now ? int64_t(at) - now : 0;
}

std::string describe_http_error(const HttpResponse& r) {
    std::string s = "HTTP " + std::to_string(r.status);
    if (auto e = decode_error_body(r.body)) {
        s += " " + e->error;
        if (!e->message.empty()) s += ": " + e->message;
    }
    return s;
}

HttpClient::HttpClient(HttpSettings settings)
    : settings_(std::move(settings)), handle_(std::make_unique<Handle>()) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    while (!settings_.base_url.empty() && settings_.base_url.back() == '/')
        settings_.base_url.pop_back();
    if (!settings_.pin_sha256.empty() && settings_.pin_sha256.rfind("sha256//", 0) != 0)
        settings_.pin_sha256 = "sha256//" + settings_.pin_sha256;
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<HttpResponse> HttpClient::perform(const std::string& path, const std::string* post_body,
                                         HttpExchange& ex, bool for_download) {
    if (settings_.base_url.rfind("https://", 0) != 0)
        return make_error("config", "the hub URL must start with https:// (got '" +
                                        settings_.base_url + "')");
    if (settings_.ca_file.empty())
        return make_error("config", "no CA file for the hub is configured");
    if (!handle_->curl) handle_->curl = curl_easy_init();
    CURL* c = handle_->curl;
    if (!c) return make_error("network", "libcurl could not make a handle");
    curl_easy_reset(c);  // keeps the open connection and TLS session
    ex.curl = c;
    const std::string url = settings_.base_url + path;
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CAINFO, settings_.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);  // the configured CA only, not the system's
    if (!settings_.pin_sha256.empty())
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, settings_.pin_sha256.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, settings_.connect_timeout_s);
    if (!for_download) curl_easy_setopt(c, CURLOPT_TIMEOUT, settings_.timeout_s);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, settings_.low_speed_bytes);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, settings_.low_speed_time_s);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);
    if (cancel_) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, cancel_);
    }
    curl_easy_setopt(c, CURLOPT_USERAGENT, "sunshine-kiosk/" KIOSK_VERSION);

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    std::string auth = "Authorization: Bearer " + bearer_;
    if (!bearer_.empty()) headers = curl_slist_append(headers, auth.c_str());
    if (post_body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(post_body->size()));
    }
    std::string range;
    if (for_download && ex.offset > 0) {
        range = std::to_string(ex.offset) + "-";
        curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    long opened = 0;
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &opened);
    connections_ += opened;
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);

    if (rc == CURLE_WRITE_ERROR && ex.body_overflow)
        return make_error("too_large", "the hub's answer is larger than " +
                                           std::to_string(ex.body_cap) + " bytes (" + url + ")");
    if (rc == CURLE_WRITE_ERROR && !ex.abort_reason.empty())
        return make_error("download", ex.abort_reason + " (" + url + ")");
    if (rc != CURLE_OK) return classify(rc, errbuf, url);

    HttpResponse r;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    r.body = std::move(ex.body);
    r.etag = ex.etag;
    if (!ex.retry_after.empty()) {
        int64_t now = util::wall_now();
        if (!ex.date.empty()) {
            time_t d = curl_getdate(ex.date.c_str(), nullptr);
            if (d != -1) now = d;  // the hub's clock against the hub's date: ours may be wrong
        }
        r.retry_after_s = parse_retry_after(ex.retry_after, now);
    }
    return r;
}

Result<HttpResponse> HttpClient::get(const std::string& path) {
    HttpExchange ex;
    ex.body_cap = settings_.max_body_bytes;
    return perform(path, nullptr, ex, false);
}

Result<HttpResponse> HttpClient::post_json(const std::string& path, const std::string& body) {
    HttpExchange ex;
    ex.body_cap = settings_.max_body_bytes;
    return perform(path, &body, ex, false);
}

namespace {

Result<std::string> sha256_of_file(const std::string& path) {
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    KIOSK_TRY(util::read_chunks(path, UINT64_MAX, [&](const char* d, size_t n) -> Status {
        crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(d), n);
        return {};
    }));
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (unsigned char b : out)
        s += hex[b >> 4], s += hex[b & 15];
    return s;
}

int64_t existing_size(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? int64_t(st.st_size) : 0;
}

// The finished file is the offered one, or it goes.
Status check_complete(const std::string& dest, int64_t size, const std::string& sha256_hex) {
    int64_t have = existing_size(dest);
    if (have != size) {
        ::unlink(dest.c_str());
        return make_error("corrupt", "the downloaded file has " + std::to_string(have) +
                                         " bytes, the offer said " + std::to_string(size));
    }
    auto sum = sha256_of_file(dest);
    if (!sum) return sum.error();
    if (*sum != sha256_hex) {
        ::unlink(dest.c_str());
        return make_error("corrupt", "the downloaded file's sha256 is " + *sum +
                                         ", the offer said " + sha256_hex);
    }
    return {};
}

}  // namespace

Result<DownloadResult> HttpClient::download(const std::string& path, const std::string& dest,
                                            int64_t size, const std::string& sha256_hex) {
    int64_t have = existing_size(dest);
    if (have > size) ::unlink(dest.c_str()), have = 0;
    if (have == size && size > 0) {  // finished earlier, perhaps killed before installing
        if (check_complete(dest, size, sha256_hex)) return DownloadResult{size, size};
        have = 0;
    }
    std::FILE* f = std::fopen(dest.c_str(), have > 0 ? "ab" : "wb");
    if (!f) return make_error("io", "cannot open " + dest + ": " + util::describe_errno(errno));
    HttpExchange ex;
    ex.body_cap = 64 * 1024;  // an error answer's body
    ex.file = f;
    ex.offset = have;
    ex.limit = size;
    auto r = perform(path, nullptr, ex, true);
    bool flushed = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
    std::fclose(f);
    if (!r && ex.discard_partial) ::unlink(dest.c_str());
    if (!r) return r.error();  // otherwise the partial file stays for the next call
    if (!flushed) return make_error("io", "cannot write " + dest + " (disk full?)");
    if (r->status == 416) {
        ::unlink(dest.c_str());
        return make_error("range", "the hub refused the range " + std::to_string(have) + "- of " +
                                       path + "; starting again from the beginning");
    }
    if (r->status != 200 && r->status != 206) {
        if (ex.written == 0 && have == 0) ::unlink(dest.c_str());
        return make_error("http_" + std::to_string(r->status),
                          "downloading " + path + ": " + describe_http_error(*r));
    }
    KIOSK_TRY(check_complete(dest, size, sha256_hex));
    return DownloadResult{size, ex.offset};
}

}  // namespace kiosk::sync
