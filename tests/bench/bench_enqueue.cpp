// Benchmark: durable outbox enqueue (seal + one synchronous=FULL transaction) and, on its own, the
// Argon2id receipt look-up key.
//
// Usage: bench_enqueue [--items N] [--keys N] [--dir DIR]
// The outbox goes in a new folder under DIR (default /var/tmp: a real disk, not tmpfs, or the
// fsync figures mean nothing). A report-sized sealed item (about 1 KB of Chinese text, name and
// phone) is built per enqueue; the look-up key is left out of the enqueue figure (a fixed hex
// string stands in) and timed separately, as the kiosk computes it before the transaction.
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "submit/outbox.hpp"
#include "submit/receipt_code.hpp"
#include "submit/sealing.hpp"
#include "submit/submitter.hpp"

using namespace kiosk;
using namespace kiosk::submit;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    size_t items = 1000, keys = 10;
    std::string base = "/var/tmp";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--items"))
            items = std::strtoul(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--keys"))
            keys = std::strtoul(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--dir"))
            base = argv[i + 1];
    }
    if (items == 0 || keys == 0 || sodium_init() < 0) {
        std::fprintf(stderr, "usage: bench_enqueue [--items N] [--keys N] [--dir DIR]\n");
        return 2;
    }
    std::string tmpl = base + "/bench-enqueue-XXXXXX";
    if (!::mkdtemp(tmpl.data())) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = tmpl;
    SealPublicKey pk{};
    SealSecretKey sk{};
    crypto_box_keypair(pk.data(), sk.data());

    std::string what;
    while (what.size() < 900)
        what += "乡计生办工作人员办理生育登记时要求另交材料费，未开具收据。";
    int rc = 0;
    {
        auto outbox =
            Outbox::open(state_database_path(dir), OutboxLimits{items + 10, 1ull << 30, 0});
        if (!outbox) {
            std::fprintf(stderr, "bench_enqueue: %s\n", outbox.error().message.c_str());
            return 1;
        }
        std::vector<double> lat;
        lat.reserve(items);
        size_t sealed_bytes = 0;
        const auto all = Clock::now();
        for (size_t i = 0; i < items; ++i) {
            const auto t0 = Clock::now();
            Submission s;
            s.id = new_uuid_v4();
            s.kind = Kind::report;
            s.created_at = 1795000000 + static_cast<int64_t>(i);
            s.meta_json = R"({"kind":"report","category":"illegal-fees","real_name":true,)"
                          R"("created_at":1795000000,"bundle_version":7,"app_version":"0.1.0"})";
            const std::string plain = R"({"what":")" + what + R"(","name":"张三丰","phone":")" +
                                      std::to_string(13800000000 + i) + R"(","receipt_code":")" +
                                      new_receipt_code() + "\"}";
            auto sealed = seal(pk, plain);
            if (!sealed) return 1;
            s.sealed = std::move(*sealed);
            sealed_bytes = s.sealed.size();
            s.lookup_key = std::string(64, '0');
            if (Status st = outbox->enqueue(s); !st) {
                std::fprintf(stderr, "enqueue %zu: %s\n", i, st.error().message.c_str());
                rc = 1;
                break;
            }
            lat.push_back(ms_since(t0));
        }
        const double total_s = ms_since(all) / 1000;
        if (!lat.empty()) {
            const double per_s = static_cast<double>(lat.size()) / total_s;
            std::printf("durable enqueue (seal + WAL commit, synchronous=FULL), %zu items of %zu "
                        "bytes sealed, in %s\n",
                        lat.size(), sealed_bytes, dir.c_str());
            std::printf("enqueue p50 %.2f ms p99 %.2f ms max %.2f ms; throughput %.0f per second\n",
                        percentile(lat, 0.5), percentile(lat, 0.99),
                        *std::max_element(lat.begin(), lat.end()), per_s);
            std::printf("goal >= 200 per second: %s\n", per_s >= 200 ? "met" : "MISSED");
        }
    }

    std::vector<double> key_ms;
    const auto salt = receipt_salt(pk);
    for (size_t i = 0; i < keys; ++i) {
        const std::string code = new_receipt_code();
        const auto t0 = Clock::now();
        auto key = receipt_lookup_key(code, salt);
        key_ms.push_back(ms_since(t0));
        if (!key) return 1;
    }
    std::printf(
        "Argon2id look-up key (interactive limits: 2 passes, 64 MiB), %zu runs: p50 %.1f ms "
        "max %.1f ms\n",
        keys, percentile(key_ms, 0.5), *std::max_element(key_ms.begin(), key_ms.end()));
    sodium_memzero(sk.data(), sk.size());
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return rc;
}
