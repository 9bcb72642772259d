// The hub's HTTP API as a plain function: a request (method, decoded path, headers, body) in, a
// response out. No sockets here: the server (hub_server.cpp, cpp-httplib) is a thin transport
// around HubApi::handle, and the fuzz target and tests call handle directly.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hub/hub_config.hpp"
#include "hub/item_check.hpp"
#include "hub/rate_limiter.hpp"
#include "hub/store_pool.hpp"

namespace kiosk::hub {

struct HttpRequest {
    std::string method;  // "GET", "HEAD", "POST", ...
    std::string path;    // percent-decoded, without the query
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::steady_clock::time_point arrival = std::chrono::steady_clock::now();

    // The first header of that name (case-insensitive), or "".
    std::string header(std::string_view name) const;
};

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string content_type = "application/json";
    std::string body;
    // A bundle download: bytes [file_offset, file_offset + file_length) of this file, streamed
    // by the transport instead of `body`.
    std::string file;
    uint64_t file_offset = 0, file_length = 0;
    // Receipt answers leave no earlier than this (the same delay for known and unknown keys).
    std::chrono::steady_clock::time_point not_before{};
};

class HubApi {
public:
    HubApi(HubConfig cfg, StorePool& pool);
    HttpResponse handle(const HttpRequest& req);

    // The path as the request log shows it: a receipt's look-up key is never logged, and bytes
    // that are not printable ASCII are escaped.
    static std::string loggable_path(std::string_view path);

private:
    HttpResponse enroll(const HttpRequest& req, HubStore& store);
    HttpResponse submissions(const HttpRequest& req, HubStore& store, const Terminal& t);
    HttpResponse heartbeat(const HttpRequest& req, HubStore& store, const Terminal& t);
    HttpResponse bundle(const HttpRequest& req, HubStore& store, int64_t version, bool signature);
    HttpResponse receipt(const HttpRequest& req, HubStore& store, const Terminal& t,
                         const std::string& key);
    Result<Catalog> catalog(HubStore& store);

    HubConfig cfg_;
    StorePool& pool_;
    RateLimiter receipts_limiter_;
    std::mutex catalog_mutex_;
    Catalog catalog_;
    int64_t catalog_version_ = -1;
};

}  // namespace kiosk::hub
