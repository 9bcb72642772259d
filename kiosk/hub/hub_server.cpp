// The thin transport: cpp-httplib reads and writes, HubApi decides. One log line per request.
#include "hub/hub_server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>

#include "hub/hub_api.hpp"
#include "hub/store_pool.hpp"

namespace kiosk::hub {

namespace {

using Clock = std::chrono::steady_clock;

// The request's start, for the log line (the logger runs on the thread that served it).
thread_local Clock::time_point t_started{};

const char* reason_word(int status) {
    switch (status) {
    case 400:
        return "malformed";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 413:
        return "too_large";
    case 414:
        return "uri_too_long";
    case 416:
        return "range_not_satisfiable";
    default:
        return status >= 500 ? "internal" : "refused";
    }
}

void to_httplib(const HttpResponse& from, httplib::Response& res) {
    res.status = from.status;
    for (const auto& [k, v] : from.headers)
        res.set_header(k, v);
    if (!from.file.empty()) {
        auto file = std::make_shared<std::ifstream>(from.file, std::ios::binary);
        const uint64_t base = from.file_offset;
        res.set_content_provider(
            size_t(from.file_length), from.content_type,
            [file, base](size_t offset, size_t length, httplib::DataSink& sink) {
                char buf[64 * 1024];
                file->seekg(std::streamoff(base + offset));
                size_t left = std::min(length, sizeof buf);
                file->read(buf, std::streamsize(left));
                const std::streamsize got = file->gcount();
                if (got <= 0) return false;  // the file shrank under us: drop the connection
                return sink.write(buf, size_t(got));
            });
    } else if (!from.content_type.empty()) {
        res.set_content(from.body, from.content_type.c_str());
    } else {
        res.body.clear();
    }
}

}  // namespace

int serve(const HubConfig& cfg) {
    // The signal thread owns SIGTERM/SIGINT: blocked here, before any other thread starts.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    {
        auto check = HubStore::open(cfg.database);  // creates the schema before the first request
        if (!check) {
            std::fprintf(stderr, "kiosk-hub: %s\n", check.error().message.c_str());
            return 1;
        }
    }
    StorePool pool(cfg.database);
    HubApi api(cfg, pool);

    httplib::SSLServer server(cfg.tls_cert.c_str(), cfg.tls_key.c_str());
    if (!server.is_valid()) {
        std::fprintf(stderr, "kiosk-hub: cannot load the TLS certificate %s and key %s\n",
                     cfg.tls_cert.c_str(), cfg.tls_key.c_str());
        return 1;
    }
    const HubLimits& l = cfg.limits;
    // (httplib also refuses an application/x-www-form-urlencoded body over 8 KiB with 413, a
    // constant compiled into Debian's libcpp-httplib: clients send application/json.)
    server.set_payload_max_length(size_t(l.max_body_bytes));
    server.set_read_timeout(l.read_timeout_s, 0);
    server.set_write_timeout(l.write_timeout_s, 0);
    server.set_keep_alive_max_count(size_t(l.keep_alive_max_count));
    server.set_keep_alive_timeout(l.keep_alive_timeout_s);
    server.set_idle_interval(0, 100000);
    server.set_tcp_nodelay(true);
    const size_t threads = size_t(l.threads);
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

    auto serve_one = [&api](const httplib::Request& req, httplib::Response& res) {
        t_started = Clock::now();
        HttpRequest in;
        in.method = req.method;
        in.path = req.path;
        in.arrival = t_started;
        for (const auto& [k, v] : req.headers)
            in.headers.emplace_back(k, v);
        in.body = req.body;
        // HubApi answers Range itself; httplib must not slice the answer a second time.
        const_cast<httplib::Request&>(req).ranges.clear();
        HttpResponse out = api.handle(in);
        if (out.not_before > Clock::now()) std::this_thread::sleep_until(out.not_before);
        to_httplib(out, res);
    };
    // Requests without a body go to HubApi before httplib's own routing (no pattern to match:
    // the API answers 404 and 405 itself). httplib reads a body only after this hook, so the
    // methods that carry one take the routed way, with a bounded pattern (std::regex recurses
    // per character; longer paths get httplib's 404).
    server.set_pre_routing_handler(
        [serve_one](const httplib::Request& req, httplib::Response& res) {
            const std::string& m = req.method;
            if (m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" || m == "PRI")
                return httplib::Server::HandlerResponse::Unhandled;
            serve_one(req, res);
            return httplib::Server::HandlerResponse::Handled;
        });
    const char* const kAnyPath = "/.{0,400}";
    server.Post(kAnyPath, serve_one);
    server.Put(kAnyPath, serve_one);
    server.Patch(kAnyPath, serve_one);
    server.Delete(kAnyPath, serve_one);
    // Answers httplib makes itself (413 before reading a body, 400 for a broken request line)
    // get the same JSON error body as HubApi's.
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty() || res.status == 304 || res.status == 416) return;
        res.set_content(sync::encode(sync::ErrorBody{reason_word(res.status),
                                                     "HTTP " + std::to_string(res.status)}),
                        "application/json");
    });
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        std::string ms = "-";
        if (t_started != Clock::time_point{}) {
            auto d = std::chrono::duration<double, std::milli>(Clock::now() - t_started).count();
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.1f", d);
            ms = buf;
            t_started = {};
        }
        std::fprintf(stderr, "%s %s %d %s ms\n", HubApi::loggable_path(req.method).c_str(),
                     HubApi::loggable_path(req.path).c_str(), res.status, ms.c_str());
    });

    int port = cfg.port;
    if (port == 0) {
        port = server.bind_to_any_port(cfg.address);
        if (port <= 0) {
            std::fprintf(stderr, "kiosk-hub: cannot listen on %s\n", cfg.address.c_str());
            return 1;
        }
    } else if (!server.bind_to_port(cfg.address, port)) {
        std::fprintf(stderr, "kiosk-hub: cannot listen on %s:%d\n", cfg.address.c_str(), port);
        return 1;
    }

    std::thread stopper([&server, stop_signals] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        std::fprintf(stderr, "kiosk-hub: stopping (signal %d)\n", sig);
        server.stop();
    });
    std::printf("listening on https://%s:%d\n", cfg.address.c_str(), port);
    std::fflush(stdout);
    const bool ok = server.listen_after_bind();
    // listen_after_bind also returns when the socket fails: wake the signal thread then.
    pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
    std::fprintf(stderr, "kiosk-hub: stopped\n");
    return ok ? 0 : 1;
}

}  // namespace kiosk::hub
