// The hub client against a real HTTPS server on 127.0.0.1: verification, pinning, Retry-After,
// caps, the low-speed cut-off, and downloads that resume.
#include <doctest/doctest.h>

#include <sodium.h>

#include <atomic>
#include <filesystem>

#include "sync/http_client.hpp"
#include "test_sync_support.hpp"

using namespace kiosk;
using namespace kiosk::testing;

namespace {

sync::HttpSettings settings_for(const TestServer& s, const TestPki& pki) {
    sync::HttpSettings h;
    h.base_url = s.url();
    h.ca_file = pki.ca_crt;
    h.connect_timeout_s = 5;
    h.timeout_s = 20;
    return h;
}

std::string pattern(size_t n) {
    std::string s(n, '\0');
    for (size_t i = 0; i < n; ++i)
        s[i] = char('a' + (i * 7 + i / 13) % 26);
    return s;
}

std::string sha256_hex(const std::string& data) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (unsigned char b : out)
        s += hex[b >> 4], s += hex[b & 15];
    return s;
}

struct Fixture {
    TempDir dir;
    TestPki pki{dir.path()};
    TestServer server{pki};
};

}  // namespace

TEST_CASE(
    "http client talks to a hub whose certificate the configured CA signed, on one connection") {
    Fixture f;
    f.server.http().Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content("hi " + req.get_header_value("Authorization"), "text/plain");
    });
    sync::HttpClient c(settings_for(f.server, f.pki));
    c.set_bearer("tok");
    auto a = c.get("/hello");
    if (!a) MESSAGE(a.error().message);
    REQUIRE(a.ok());
    CHECK(a->status == 200);
    CHECK(a->body == "hi Bearer tok");
    REQUIRE(c.get("/hello").ok());
    REQUIRE(c.get("/hello").ok());
    CHECK(c.connections_opened() == 1);
}

TEST_CASE("http client refuses a certificate from another CA, and a wrong host name") {
    Fixture f;
    f.server.http().Get("/x", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("x", "text/plain");
    });
    TestPki other(f.dir.path(), "other");
    auto s = settings_for(f.server, f.pki);
    s.ca_file = other.ca_crt;
    auto r = sync::HttpClient(s).get("/x");
    REQUIRE_FALSE(r.ok());
    MESSAGE(r.error().message);
    CHECK(r.error().code == "tls");
    CHECK(sync::is_transport_error(r.error()));

    s = settings_for(f.server, f.pki);
    s.base_url = f.server.url("localhost");  // the certificate names only 127.0.0.1
    auto h = sync::HttpClient(s).get("/x");
    REQUIRE_FALSE(h.ok());
    MESSAGE(h.error().message);
    CHECK(h.error().code == "tls");
}

TEST_CASE("http client refuses plain http and a missing CA setting") {
    sync::HttpSettings s;
    s.base_url = "http://127.0.0.1:1";
    s.ca_file = "/nonexistent";
    CHECK(sync::HttpClient(s).get("/").error().code == "config");
    s.base_url = "https://127.0.0.1:1";
    s.ca_file = "";
    CHECK(sync::HttpClient(s).get("/").error().code == "config");
}

TEST_CASE("http client with a public-key pin takes the pinned key and refuses another") {
    Fixture f;
    f.server.http().Get("/x", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("x", "text/plain");
    });
    auto s = settings_for(f.server, f.pki);
    s.pin_sha256 = f.pki.pin();
    auto ok = sync::HttpClient(s).get("/x");
    if (!ok) MESSAGE(ok.error().message);
    CHECK(ok.ok());
    s.pin_sha256 = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    auto bad = sync::HttpClient(s).get("/x");
    REQUIRE_FALSE(bad.ok());
    MESSAGE(bad.error().message);
    CHECK(bad.error().code == "pin");
}

TEST_CASE("connection refused is told apart") {
    TempDir dir;
    TestPki pki(dir.path());
    int port = 0;
    {
        TestServer s(pki);
        port = s.port();
    }
    sync::HttpSettings h;
    h.base_url = "https://127.0.0.1:" + std::to_string(port);
    h.ca_file = pki.ca_crt;
    auto r = sync::HttpClient(h).get("/");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "refused");
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date") {
    CHECK(sync::parse_retry_after("120", 0) == 120);
    CHECK(sync::parse_retry_after(" 7 ", 0) == 7);
    // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480
    CHECK(sync::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 90) == 90);
    CHECK(sync::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 90) == 0);
    CHECK(sync::parse_retry_after("soon", 0) == -1);
    CHECK(sync::parse_retry_after("", 0) == -1);
}

TEST_CASE("http client reads the hub's Retry-After and error body from a 503") {
    Fixture f;
    f.server.http().Get("/busy", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_header("Retry-After", "42");
        res.set_content(R"({"error":"busy","message":"try later"})", "application/json");
    });
    auto r = sync::HttpClient(settings_for(f.server, f.pki)).get("/busy");
    REQUIRE(r.ok());
    CHECK(r->status == 503);
    CHECK(r->retry_after_s == 42);
    CHECK(sync::describe_http_error(*r) == "HTTP 503 busy: try later");
}

TEST_CASE("http client refuses an answer larger than its cap") {
    Fixture f;
    f.server.http().Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(300 * 1024, 'x'), "text/plain");
    });
    auto s = settings_for(f.server, f.pki);
    s.max_body_bytes = 64 * 1024;
    auto r = sync::HttpClient(s).get("/big");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "too_large");
}

TEST_CASE("http client cuts off a hub sending one byte per second") {
    Fixture f;
    std::atomic<bool> done{false};
    f.server.http().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/plain", [&](size_t, httplib::DataSink& sink) {
            for (int i = 0; i < 20 && !done; ++i) {  // bounded: 10 s at most
                if (!sink.write("x", 1)) return false;
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
            }
            sink.done();
            return true;
        });
    });
    auto s = settings_for(f.server, f.pki);
    s.low_speed_bytes = 100;
    s.low_speed_time_s = 2;
    auto r = sync::HttpClient(s).get("/slow");
    done = true;
    REQUIRE_FALSE(r.ok());
    MESSAGE(r.error().message);
    CHECK(r.error().code == "timeout");
}

// A bundle server: the first `cut_first` answers stop after `cut_at` bytes of the file. Range is
// left to cpp-httplib (206 with its Content-Range, as the hub does), unless `ignore_range`.
struct BundleServer {
    std::string data = pattern(300 * 1024 + 17);
    std::atomic<int> cut_first{0};
    size_t cut_at = 100 * 1024;
    std::atomic<bool> ignore_range{false};
    std::atomic<bool> wrong_range{false};  // 206 to a Range request, but from byte 0
    std::atomic<int> requests{0};
    std::string last_range;
    std::atomic<long> last_status{0};

    void mount(httplib::SSLServer& http) {
        http.Get("/b.kbundle", [this](const httplib::Request& req, httplib::Response& res) {
            ++requests;
            last_range = req.get_header_value("Range");
            // A server (or proxy) that ignores Range: cpp-httplib would apply it even to a 200.
            if (ignore_range) const_cast<httplib::Request&>(req).ranges.clear();
            // A broken server or cache: it says 206 and what it sends starts at byte 0.
            if (wrong_range && !req.ranges.empty()) {
                const_cast<httplib::Request&>(req).ranges.clear();
                res.status = 206;
                res.set_header("Content-Range", "bytes 0-" + std::to_string(data.size() - 1) + "/" +
                                                    std::to_string(data.size()));
            }
            const bool cut = cut_first > 0;
            if (cut) --cut_first;
            res.set_content_provider(
                data.size(), "application/octet-stream",
                [this, cut](size_t offset, size_t length, httplib::DataSink& sink) {
                    size_t end = cut ? std::min(data.size(), cut_at) : offset + length;
                    if (offset >= end) return false;  // closes the connection mid-body
                    size_t n = std::min<size_t>(end - offset, 16 * 1024);
                    return sink.write(data.data() + offset, n);
                });
        });
    }
};

TEST_CASE("a download cut mid-body resumes with Range and ends with the offered bytes") {
    Fixture f;
    BundleServer b;
    b.cut_first = 1;
    b.mount(f.server.http());
    sync::HttpClient c(settings_for(f.server, f.pki));
    const std::string dest = f.dir / "b.part";
    auto first = c.download("/b.kbundle", dest, int64_t(b.data.size()), sha256_hex(b.data));
    REQUIRE_FALSE(first.ok());
    MESSAGE(first.error().message);
    CHECK(sync::is_transport_error(first.error()));
    const auto partial = std::filesystem::file_size(dest);
    CHECK(partial > 0);
    CHECK(partial < b.data.size());
    auto second = c.download("/b.kbundle", dest, int64_t(b.data.size()), sha256_hex(b.data));
    if (!second) MESSAGE(second.error().message);
    REQUIRE(second.ok());
    CHECK(second->resumed_from == int64_t(partial));
    CHECK(b.last_range == "bytes=" + std::to_string(partial) + "-");
    CHECK(read_text(dest) == b.data);
}

TEST_CASE("a download whose server ignores Range (200) starts the file again") {
    Fixture f;
    BundleServer b;
    b.cut_first = 1;
    b.ignore_range = true;
    b.mount(f.server.http());
    sync::HttpClient c(settings_for(f.server, f.pki));
    const std::string dest = f.dir / "b.part";
    REQUIRE_FALSE(c.download("/b.kbundle", dest, int64_t(b.data.size()), sha256_hex(b.data)).ok());
    auto second = c.download("/b.kbundle", dest, int64_t(b.data.size()), sha256_hex(b.data));
    if (!second) MESSAGE(second.error().message);
    REQUIRE(second.ok());
    CHECK(second->resumed_from == 0);
    CHECK(read_text(dest) == b.data);
}

TEST_CASE("a download answered with the wrong range drops its partial file and starts again") {
    Fixture f;
    BundleServer b;
    b.cut_first = 1;
    b.wrong_range = true;
    b.mount(f.server.http());
    sync::HttpClient c(settings_for(f.server, f.pki));
    const std::string dest = f.dir / "b.part";
    const std::string sum = sha256_hex(b.data);
    REQUIRE_FALSE(c.download("/b.kbundle", dest, int64_t(b.data.size()), sum).ok());
    REQUIRE(std::filesystem::file_size(dest) > 0);
    auto second = c.download("/b.kbundle", dest, int64_t(b.data.size()), sum);
    REQUIRE_FALSE(second.ok());
    MESSAGE(second.error().message);
    CHECK(second.error().message.find("wrong range (bytes 0-") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dest));  // resuming it again would fail the same way
    auto third = c.download("/b.kbundle", dest, int64_t(b.data.size()), sum);
    if (!third) MESSAGE(third.error().message);
    REQUIRE(third.ok());
    CHECK(third->resumed_from == 0);
    CHECK(b.last_range.empty());
    CHECK(read_text(dest) == b.data);
}

TEST_CASE("a download with another sha256 or size than offered is refused and deleted") {
    Fixture f;
    BundleServer b;
    b.mount(f.server.http());
    sync::HttpClient c(settings_for(f.server, f.pki));
    const std::string dest = f.dir / "b.part";
    auto bad_sum = c.download("/b.kbundle", dest, int64_t(b.data.size()), sha256_hex("other"));
    REQUIRE_FALSE(bad_sum.ok());
    CHECK(bad_sum.error().code == "corrupt");
    CHECK_FALSE(std::filesystem::exists(dest));
    auto longer = c.download("/b.kbundle", dest, int64_t(b.data.size()) + 10, sha256_hex(b.data));
    REQUIRE_FALSE(longer.ok());
    CHECK(longer.error().code == "corrupt");
    CHECK_FALSE(std::filesystem::exists(dest));
    auto shorter = c.download("/b.kbundle", dest, 1000, sha256_hex(b.data));
    REQUIRE_FALSE(shorter.ok());
    CHECK(shorter.error().code == "download");  // stopped at the offered size
}
