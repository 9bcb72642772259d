// Outbox::export_to: the pending items as one self-checking JSON Lines file on a USB stick.
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <nlohmann/json.hpp>

#include "submit/outbox.hpp"
#include "util/base64.hpp"
#include "util/clock.hpp"

namespace kiosk::submit {

namespace {

std::string random_hex8() {
    uint8_t b[4];
    randombytes_buf(b, sizeof b);
    char hex[9];
    sodium_bin2hex(hex, sizeof hex, b, sizeof b);
    return hex;
}

// Collects lines and hands them to the sink in 64 KiB writes, hashing every byte it passes on.
class HashedWriter {
public:
    explicit HashedWriter(util::FileSink& sink) : sink_(sink) {
        crypto_hash_sha256_init(&state_);
        buf_.reserve(kChunk);
    }
    Status line(const std::string& text, bool hashed = true) {
        if (hashed) {
            crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(text.data()),
                                      text.size());
            crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>("\n"), 1);
        }
        buf_ += text;
        buf_ += '\n';
        written_ += text.size() + 1;
        return buf_.size() >= kChunk ? flush() : Status();
    }
    Status flush() {
        Status st = sink_.write(buf_.data(), buf_.size());
        buf_.clear();
        return st;
    }
    std::string hex_digest() {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&state_, digest);
        char hex[2 * sizeof digest + 1];
        sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
        return hex;
    }
    uint64_t written() const { return written_; }

private:
    static constexpr size_t kChunk = 64 * 1024;
    util::FileSink& sink_;
    crypto_hash_sha256_state state_;
    std::string buf_;
    uint64_t written_ = 0;
};

}  // namespace

Result<ExportSummary> Outbox::export_to(const std::string& dir, int64_t now) {
    if (sodium_init() < 0) return make_error("crypto", "libsodium cannot start");
    const std::string name = "kiosk-outbox-" + util::format_utc_time(now, "%Y%m%dT%H%M%SZ") + "-" +
                             random_hex8() + ".jsonl";
    ExportSummary summary;
    summary.file = dir + "/" + name;
    const std::string tmp = dir + "/." + name + ".part";

    auto opened = seams_.open_sink ? seams_.open_sink(tmp) : util::open_posix_sink(tmp);
    if (!opened) return opened.error();
    std::unique_ptr<util::FileSink> sink = std::move(*opened);
    auto fail = [&](const Error& e) -> Error {
        (void)sink->close();
        ::unlink(tmp.c_str());
        return e;
    };

    // One statement is one read transaction: the file is a consistent snapshot of the queue.
    auto q = db_.prepare("SELECT id, kind, created_at, meta, sealed, lookup_key FROM outbox "
                         "WHERE sent_at IS NULL ORDER BY seq");
    if (!q) return fail(q.error());
    HashedWriter out(*sink);
    while (q->step()) {
        std::string sealed = q->blob(4);
        auto meta = nlohmann::json::parse(q->text(3), nullptr, false);
        nlohmann::ordered_json line = {
            {"id", q->text(0)},
            {"kind", q->text(1)},
            {"created_at", q->integer(2)},
            {"meta", meta.is_discarded() ? nlohmann::json(q->text(3)) : meta},
            {"sealed",
             util::base64_encode(reinterpret_cast<const uint8_t*>(sealed.data()), sealed.size())},
            {"lookup_key", q->text(5)}};
        if (Status st = out.line(line.dump()); !st) return fail(st.error());
        ++summary.items;
    }
    if (q->error()) return fail(*q->error());
    nlohmann::ordered_json manifest = {{"manifest",
                                        {{"format", "kiosk-outbox/1"},
                                         {"items", summary.items},
                                         {"exported_at", now},
                                         {"sha256", out.hex_digest()}}}};
    Status st = out.line(manifest.dump(), false);
    if (st) st = out.flush();
    if (st) st = sink->sync();
    if (st) st = sink->close();
    if (!st) return fail(st.error());
    if (::rename(tmp.c_str(), summary.file.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return make_error(err == ENOSPC ? "disk_full" : "io",
                          "cannot rename onto " + summary.file + ": " + util::describe_errno(err));
    }
    KIOSK_TRY(util::sync_directory(dir));
    summary.bytes = out.written();
    return summary;
}

}  // namespace kiosk::submit
