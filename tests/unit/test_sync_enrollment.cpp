// The enrollment file: private, atomic, read back; enrolment against a real HTTPS hub stand-in.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "sync/enrollment.hpp"
#include "sync/protocol.hpp"
#include "test_sync_support.hpp"

using namespace kiosk;
using namespace kiosk::testing;

namespace {

config::Config config_in(const std::string& state) {
    config::Config cfg;
    cfg.state_dir = state;
    cfg.hub_connect_timeout_s = 5;
    cfg.hub_timeout_s = 10;
    return cfg;
}

unsigned mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("the enrollment file is written with mode 0600 and read back") {
    TempDir dir;
    ::umask(022);
    sync::Enrollment e{"k-0123456789abcdef", "chengguan", "secret-token", "https://hub:8443", 5};
    REQUIRE(sync::write_enrollment(dir.path(), e).ok());
    CHECK(mode_of(sync::enrollment_path(dir.path())) == 0600);
    CHECK_FALSE(std::filesystem::exists(sync::enrollment_path(dir.path()) + ".tmp"));
    auto back = sync::read_enrollment(dir.path());
    REQUIRE(back.ok());
    CHECK(back->kiosk_id == e.kiosk_id);
    CHECK(back->township == "chengguan");
    CHECK(back->token == "secret-token");
    CHECK(back->hub_url == "https://hub:8443");
}

TEST_CASE("a second enrollment replaces the first whole, never leaving a mix") {
    TempDir dir;
    REQUIRE(sync::write_enrollment(dir.path(), {"k-1", "a", "t1", "https://a", 1}).ok());
    REQUIRE(sync::write_enrollment(dir.path(), {"k-2", "b", "t2", "https://b", 2}).ok());
    auto back = sync::read_enrollment(dir.path());
    REQUIRE(back.ok());
    CHECK(back->kiosk_id == "k-2");
    CHECK(back->token == "t2");
    CHECK(mode_of(sync::enrollment_path(dir.path())) == 0600);
}

TEST_CASE("no enrollment file reads as not_enrolled, a damaged one as enrollment") {
    TempDir dir;
    CHECK(sync::read_enrollment(dir.path()).error().code == "not_enrolled");
    write_text(sync::enrollment_path(dir.path()), "{\"kiosk_id\": 5");
    CHECK(sync::read_enrollment(dir.path()).error().code == "enrollment");
}

TEST_CASE("enroll stores the token and a copy of the CA; a refused code writes nothing") {
    TempDir dir;
    TestPki pki(dir.path());
    TestServer server(pki);
    server.http().Post("/api/v1/enroll", [](const httplib::Request& req, httplib::Response& res) {
        auto r = sync::decode_enroll_request(req.body);
        if (!r || r->code != "GOOD-CODE") {
            res.status = 403;
            res.set_content(sync::encode(sync::ErrorBody{"bad_code", "unknown or used code"}),
                            "application/json");
            return;
        }
        sync::EnrollResponse a{"k-00000000000000aa", "tok-123", "chengguan", 1795000000};
        res.set_content(sync::encode(a), "application/json");
    });
    auto cfg = config_in(dir / "state");
    auto refused = sync::enroll(cfg, server.url(), pki.ca_crt, "WRONG");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "bad_code");
    CHECK(refused.error().message.find("unknown or used code") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(sync::enrollment_path(cfg.state_dir)));

    auto ok = sync::enroll(cfg, server.url() + "/", pki.ca_crt, "GOOD-CODE");
    if (!ok) MESSAGE(ok.error().message);
    REQUIRE(ok.ok());
    CHECK(ok->kiosk_id == "k-00000000000000aa");
    CHECK(mode_of(sync::enrollment_path(cfg.state_dir)) == 0600);
    CHECK(read_text(sync::enrolled_ca_path(cfg.state_dir)) == read_text(pki.ca_crt));
    auto ep = sync::hub_endpoint(cfg);
    REQUIRE(ep.ok());
    CHECK(ep->http.base_url == server.url());
    CHECK(ep->http.ca_file == sync::enrolled_ca_path(cfg.state_dir));
    CHECK(ep->enrollment.token == "tok-123");
}
