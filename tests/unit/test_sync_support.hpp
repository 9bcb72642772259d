// Helpers for the sync tests: a test CA and server certificate made with the openssl CLI, and a
// real HTTPS server (cpp-httplib) on a random port of 127.0.0.1.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "test_support.hpp"

namespace kiosk::testing {

inline void run_ok(const std::string& cmd) {
    int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
    REQUIRE_MESSAGE(rc == 0, cmd);
}

// dir/<name>-ca.crt|key and dir/<name>-server.crt|key for subjectAltName `san`.
struct TestPki {
    std::string dir, ca_crt, server_crt, server_key;
    TestPki(const std::string& d, const std::string& name = "test",
            const std::string& san = "IP:127.0.0.1")
        : dir(d) {
        const std::string p = d + "/" + name;
        ca_crt = p + "-ca.crt";
        server_crt = p + "-server.crt";
        server_key = p + "-server.key";
        const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        run_ok("openssl req -x509 " + ec + " -keyout " + p + "-ca.key -out " + ca_crt +
               " -days 3650 -subj '/CN=" + name + " test CA'");
        run_ok("openssl req " + ec + " -keyout " + server_key + " -out " + p +
               "-server.csr -subj '/CN=hub'");
        write_text(p + "-ext.cnf", "subjectAltName=" + san + "\n");
        run_ok("openssl x509 -req -in " + p + "-server.csr -CA " + ca_crt + " -CAkey " + p +
               "-ca.key -CAcreateserial -out " + server_crt + " -days 3650 -extfile " + p +
               "-ext.cnf");
    }
    // base64 sha256 of the server's public key, as CURLOPT_PINNEDPUBLICKEY wants it.
    std::string pin() const {
        const std::string out = dir + "/pin.txt";
        run_ok("openssl x509 -in " + server_crt +
               " -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 "
               "-binary | base64 > " +
               out);
        std::string s = read_text(out);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
            s.pop_back();
        return s;
    }
};

// An HTTPS server on 127.0.0.1:<random port>, running on its own thread until destroyed.
class TestServer {
public:
    explicit TestServer(const TestPki& pki)
        : server_(pki.server_crt.c_str(), pki.server_key.c_str()) {
        REQUIRE(server_.is_valid());
        port_ = server_.bind_to_any_port("127.0.0.1");
        REQUIRE(port_ > 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        for (int i = 0; i < 500 && !server_.is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(server_.is_running());
    }
    ~TestServer() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    httplib::SSLServer& http() { return server_; }
    int port() const { return port_; }
    std::string url(const std::string& host = "127.0.0.1") const {
        return "https://" + host + ":" + std::to_string(port_);
    }

private:
    httplib::SSLServer server_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace kiosk::testing
