// A receipt's status from the hub, by look-up key.
#include "sync/hub_receipt_lookup.hpp"

#include <optional>

#include "sign/seal_keys.hpp"
#include "submit/sealing.hpp"
#include "sync/enrollment.hpp"
#include "sync/http_client.hpp"
#include "sync/protocol.hpp"

namespace kiosk::sync {

struct HubReceiptLookup::Client {
    std::optional<HttpClient> http;
    std::string key;  // url + ca + token it was made for
};

HubReceiptLookup::HubReceiptLookup(config::Config cfg, std::function<std::string()> seal_public_key,
                                   long timeout_s)
    : cfg_(std::move(cfg)), seal_public_key_(std::move(seal_public_key)), timeout_s_(timeout_s),
      client_(std::make_unique<Client>()) {}

HubReceiptLookup::~HubReceiptLookup() = default;

Result<ReceiptStatus> HubReceiptLookup::look_up(std::string_view code) {
    std::lock_guard<std::mutex> lock(mu_);
    auto ep = hub_endpoint(cfg_);
    if (!ep) return make_error("offline", ep.error().message);
    auto pk = sign::parse_seal_public_key(seal_public_key_ ? seal_public_key_() : std::string());
    if (!pk) return make_error("no_sealing_key", "the installed bundle has no sealing key");
    auto key = submit::receipt_lookup_key(code, submit::receipt_salt(*pk));
    if (!key) return key.error();
    ep->http.connect_timeout_s = std::min(ep->http.connect_timeout_s, timeout_s_);
    ep->http.timeout_s = timeout_s_;
    ep->http.max_body_bytes = 64 * 1024;
    const std::string id =
        ep->http.base_url + "\n" + ep->http.ca_file + "\n" + ep->enrollment.token;
    if (!client_->http || client_->key != id) {
        client_->http.emplace(ep->http);
        client_->http->set_bearer(ep->enrollment.token);
        client_->key = id;
    }
    auto r = client_->http->get(std::string(kApiPrefix) + "/receipts/" + *key);
    if (!r) return make_error("offline", r.error().message);
    if (r->status == 404) return make_error("not_found", "the hub knows no such receipt");
    if (r->status == 429) return make_error("rate_limited", describe_http_error(*r));
    if (r->status != 200)
        return make_error("http_" + std::to_string(r->status), describe_http_error(*r));
    auto answer = decode_receipt_answer(r->body);
    if (!answer) return make_error("malformed", "receipt answer: " + answer.error().message);
    return ReceiptStatus{answer->status, answer->reply};
}

std::future<Result<ReceiptStatus>> look_up_async(std::shared_ptr<ReceiptLookup> lookup,
                                                 std::string code) {
    return std::async(std::launch::async, [lookup = std::move(lookup), code = std::move(code)] {
        return lookup->look_up(code);
    });
}

}  // namespace kiosk::sync
