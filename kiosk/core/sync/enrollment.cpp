// The enrollment file and `kioskctl enroll`'s exchange with the hub.
#include "sync/enrollment.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <filesystem>

#include "sync/protocol.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace kiosk::sync {

std::string sync_dir(const std::string& state_dir) {
    return state_dir + "/sync";
}
std::string enrollment_path(const std::string& state_dir) {
    return sync_dir(state_dir) + "/enrollment.json";
}
std::string enrolled_ca_path(const std::string& state_dir) {
    return sync_dir(state_dir) + "/hub-ca.pem";
}

Status write_private_file(const std::string& path, const std::string& data, unsigned mode) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error("io", "cannot create " + dir + ": " + ec.message());
    const std::string tmp = path + ".tmp";
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return make_error("io", "cannot write " + tmp + ": " + util::describe_errno(errno));
    ::fchmod(fd, mode);  // whatever the umask
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = errno;
            ::close(fd), ::unlink(tmp.c_str());
            return make_error("io", "cannot write " + tmp + ": " + util::describe_errno(err));
        }
        done += size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return make_error("io", "cannot write " + tmp + ": " + util::describe_errno(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return make_error("io", "cannot rename " + tmp + ": " + util::describe_errno(err));
    }
    return util::sync_directory(dir);
}

Status write_enrollment(const std::string& state_dir, const Enrollment& e) {
    nlohmann::ordered_json j = {{"kiosk_id", e.kiosk_id},
                                {"township", e.township},
                                {"hub_url", e.hub_url},
                                {"token", e.token},
                                {"enrolled_at", e.enrolled_at}};
    return write_private_file(enrollment_path(state_dir), j.dump(2) + "\n", 0600);
}

Result<Enrollment> read_enrollment(const std::string& state_dir) {
    const std::string path = enrollment_path(state_dir);
    if (!std::filesystem::exists(path))
        return make_error("not_enrolled", "this terminal is not enrolled with a hub (kioskctl "
                                          "enroll --hub URL --ca FILE --code CODE)");
    auto text = util::read_file(path, 64 * 1024);
    if (!text) return make_error("enrollment", path + ": " + text.error().message);
    auto j = nlohmann::json::parse(*text, nullptr, false);
    Enrollment e;
    try {
        if (j.is_discarded() || !j.is_object()) throw std::runtime_error("not a JSON object");
        e.kiosk_id = j.at("kiosk_id").get<std::string>();
        e.township = j.at("township").get<std::string>();
        e.hub_url = j.at("hub_url").get<std::string>();
        e.token = j.at("token").get<std::string>();
        e.enrolled_at = j.value("enrolled_at", int64_t(0));
    } catch (const std::exception& ex) {
        return make_error("enrollment", path + " is damaged (" + ex.what() + "): enrol again");
    }
    if (e.token.empty() || e.hub_url.empty())
        return make_error("enrollment", path + " has no token or hub URL: enrol again");
    return e;
}

namespace {

HttpSettings settings_from(const config::Config& cfg, std::string url, std::string ca) {
    HttpSettings s;
    s.base_url = std::move(url);
    s.ca_file = std::move(ca);
    s.pin_sha256 = cfg.hub_pin_sha256;
    s.connect_timeout_s = cfg.hub_connect_timeout_s;
    s.timeout_s = cfg.hub_timeout_s;
    return s;
}

}  // namespace

Result<HubEndpoint> hub_endpoint(const config::Config& cfg) {
    auto e = read_enrollment(cfg.state_dir);
    if (!e) return e.error();
    HubEndpoint ep;
    ep.http =
        settings_from(cfg, e->hub_url,
                      cfg.hub_ca_file.empty() ? enrolled_ca_path(cfg.state_dir) : cfg.hub_ca_file);
    ep.enrollment = std::move(*e);
    return ep;
}

Result<Enrollment> enroll(const config::Config& cfg, const std::string& hub_url,
                          const std::string& ca_file, const std::string& code) {
    auto ca = util::read_file(ca_file, 1 << 20);
    if (!ca) return make_error("config", "cannot read the CA file: " + ca.error().message);
    if (ca->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        return make_error("config", ca_file + " holds no PEM certificate");
    HttpClient client(settings_from(cfg, hub_url, ca_file));
    EnrollRequest req;
    req.code = code;
    char host[256] = {0};
    if (::gethostname(host, sizeof host - 1) == 0) req.hostname = host;
    req.app_version = KIOSK_VERSION;
    auto r = client.post_json(std::string(kApiPrefix) + "/enroll", encode(req));
    if (!r) return r.error();
    if (r->status == 403)
        return make_error("bad_code", "the hub refused the enrolment code (unknown, already used "
                                      "or expired): " +
                                          describe_http_error(*r));
    if (r->status != 200)
        return make_error("http_" + std::to_string(r->status),
                          "enrolment failed: " + describe_http_error(*r));
    auto answer = decode_enroll_response(r->body);
    if (!answer)
        return make_error("malformed", "the hub's enrolment answer: " + answer.error().message);
    KIOSK_TRY(write_private_file(enrolled_ca_path(cfg.state_dir), *ca, 0644));
    Enrollment e;
    e.kiosk_id = answer->kiosk_id;
    e.township = answer->township;
    e.token = answer->token;
    e.hub_url = client.settings().base_url;
    e.enrolled_at = util::wall_now();
    KIOSK_TRY(write_enrollment(cfg.state_dir, e));
    return e;
}

}  // namespace kiosk::sync
