// The staff commands: enrolment codes, revocation, the fleet, publishing, import, the inbox.
#include "hub/hub_commands.hpp"

#include <sodium.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "hub/hub_store.hpp"
#include "hub/import_export.hpp"
#include "hub/item_check.hpp"
#include "hub/publish.hpp"
#include "sign/seal_keys.hpp"
#include "submit/sealing.hpp"
#include "sync/protocol.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"
#include "util/utf8.hpp"

namespace kiosk::hub {

namespace {

using Json = nlohmann::ordered_json;

int complain(const std::string& message, int code = 1) {
    std::fprintf(stderr, "kiosk-hub: %s\n", message.c_str());
    return code;
}

Result<HubStore> open_store(const HubConfig& cfg) {
    return HubStore::open(cfg.database);
}

std::string when(int64_t t) {
    return t > 0 ? util::format_utc_time(t) : std::string("never");
}

// 16 characters of Crockford's base32 (80 bits), shown in groups of four.
std::string new_enroll_code() {
    static const char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::string code;
    for (int i = 0; i < 16; ++i) {
        if (i > 0 && i % 4 == 0) code += '-';
        code += kAlphabet[randombytes_uniform(32)];
    }
    return code;
}

}  // namespace

int cmd_enroll_code(const HubConfig& cfg, const std::string& township,
                    const std::string& valid_hours) {
    char* end = nullptr;
    const long hours = std::strtol(valid_hours.c_str(), &end, 10);
    if (*end != '\0' || hours < 1 || hours > 24 * 90)
        return complain("--valid-hours must be a whole number from 1 to 2160", 2);
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    const std::string code = new_enroll_code();
    std::string normalized;
    for (char c : code)
        if (c != '-') normalized += c;
    const int64_t now = util::wall_now();
    const int64_t expires = now + hours * 3600;
    if (Status st = store->add_enroll_code(secret_hash(normalized), township, now, expires); !st)
        return complain(st.error().message);
    std::printf("enrolment code for township %s (single use, valid until %s):\n%s\n",
                township.c_str(), util::format_utc_time(expires).c_str(), code.c_str());
    return 0;
}

int cmd_revoke(const HubConfig& cfg, const std::string& kiosk_id) {
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    auto done = store->revoke(kiosk_id, util::wall_now());
    if (!done) return complain(done.error().message);
    if (!*done) return complain("no terminal " + kiosk_id);
    std::printf("revoked terminal %s: its token is refused from now on\n", kiosk_id.c_str());
    return 0;
}

int cmd_fleet(const HubConfig& cfg, bool json) {
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    auto terminals = store->terminals();
    if (!terminals) return complain(terminals.error().message);
    const int64_t now = util::wall_now();
    Json out = Json::array();
    for (const Terminal& t : *terminals) {
        std::string state = "online";
        if (t.revoked_at)
            state = "revoked";
        else if (!t.last_heartbeat_at)
            state = "never";
        else if (now - *t.last_heartbeat_at > cfg.offline_after_s)
            state = "OFFLINE";
        const int64_t last = t.last_heartbeat_at.value_or(0);
        if (json) {
            out.push_back(
                Json{{"id", t.id},
                     {"township", t.township},
                     {"hostname", t.hostname},
                     {"state", state},
                     {"offline", state == "OFFLINE" || state == "never"},
                     {"last_heartbeat_at", t.last_heartbeat_at ? Json(last) : Json(nullptr)},
                     {"app_version", t.last.app_version},
                     {"bundle_version", t.last.bundle_version},
                     {"queue_depth", t.last.queue_depth},
                     {"oldest_item_age_s", t.last.oldest_item_age_s},
                     {"dead_letters", t.last.dead_letters},
                     {"free_disk_bytes", t.last.free_disk_bytes},
                     {"clock_offset_s", last ? Json(t.last.clock - last) : Json(nullptr)},
                     {"last_upload_at", t.last.last_upload_at},
                     {"last_error", t.last.last_error}});
            continue;
        }
        std::printf("%-18s %-12s %-8s last heartbeat %s%s, queue %lld (oldest %llds), bundle %lld, "
                    "app %s%s%s\n",
                    t.id.c_str(), t.township.c_str(), state.c_str(), when(last).c_str(),
                    last ? (" (" + std::to_string((now - last) / 60) + " min ago)").c_str() : "",
                    (long long)t.last.queue_depth, (long long)t.last.oldest_item_age_s,
                    (long long)t.last.bundle_version,
                    t.last.app_version.empty() ? "?" : t.last.app_version.c_str(),
                    t.last.last_error.empty() ? "" : ", last error: ", t.last.last_error.c_str());
    }
    if (json)
        std::printf("%s\n", out.dump(2).c_str());
    else if (terminals->empty())
        std::printf("no terminals are enrolled\n");
    return 0;
}

int cmd_publish(const HubConfig& cfg, const std::string& file, const std::string& townships) {
    std::vector<std::string> list;
    size_t pos = 0;
    while (pos < townships.size()) {
        size_t comma = townships.find(',', pos);
        std::string t =
            townships.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        if (!t.empty()) list.push_back(t);
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    auto b = publish_bundle(cfg, *store, file, list);
    if (!b) return complain("bundle refused (" + b.error().code + "): " + b.error().message);
    std::string to = "every township";
    if (!list.empty()) {
        to = "townships ";
        for (size_t i = 0; i < list.size(); ++i)
            to += (i ? "," : "") + list[i];
    }
    std::printf("published bundle version %lld (%lld bytes, sha256 %s) to %s\n",
                (long long)b->version, (long long)b->size, b->sha256.c_str(), to.c_str());
    return 0;
}

int cmd_import(const HubConfig& cfg, const std::string& dir_or_file) {
    auto files = export_files(dir_or_file);
    if (!files) return complain(files.error().message);
    if (files->empty()) return complain("no kiosk-outbox-*.jsonl files in " + dir_or_file);
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    auto catalog = published_catalog(*store, cfg.publish_dir);
    if (!catalog) return complain(catalog.error().message);
    int rc = 0;
    for (const auto& f : *files) {
        const int64_t now = util::wall_now();
        auto done = import_export_file(f, *store, *catalog, now, now + cfg.reply_days * 86400);
        if (!done) {
            std::fprintf(stderr, "kiosk-hub: %s refused (%s): %s\n", f.c_str(),
                         done.error().code.c_str(), done.error().message.c_str());
            rc = 1;
            continue;
        }
        std::printf("%s: %zu stored, %zu duplicate, %zu rejected\n", f.c_str(), done->stored,
                    done->duplicate, done->rejected);
        for (const auto& r : done->rejections)
            std::printf("  rejected %s: %s\n", r.id.c_str(), r.reason.c_str());
    }
    return rc;
}

int cmd_list(const HubConfig& cfg, bool json, const std::string& status) {
    if (!status.empty() && !sync::is_known_status(status))
        return complain("--status must be received, in_progress, answered or closed", 2);
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    auto rows = store->list(status);
    if (!rows) return complain(rows.error().message);
    const int64_t now = util::wall_now();
    Json out = Json::array();
    for (const auto& s : *rows) {
        const bool open = s.status == "received" || s.status == "in_progress";
        const bool overdue = open && s.kind != "rating" && now > s.deadline;
        auto meta = nlohmann::json::parse(s.meta_json, nullptr, false);
        if (json) {
            out.push_back(Json{{"id", s.id},
                               {"kind", s.kind},
                               {"terminal", s.terminal},
                               {"source", s.source},
                               {"created_at", s.created_at},
                               {"received_at", s.received_at},
                               {"deadline", s.deadline},
                               {"overdue", overdue},
                               {"status", s.status},
                               {"reply", s.reply},
                               {"updated_at", s.updated_at},
                               {"meta", meta.is_discarded() ? nlohmann::json(nullptr) : meta}});
            continue;
        }
        std::string what;
        if (!meta.is_discarded()) {
            if (meta.contains("category") && meta["category"].is_string())
                what = meta["category"].get<std::string>();
            if (meta.contains("target_id") && meta["target_id"].is_string())
                what = meta["target_id"].get<std::string>() + " level " +
                       (meta.contains("level") ? meta["level"].dump() : "?");
        }
        std::printf("%s %-12s %-11s%s received %s from %s %s\n", s.id.c_str(), s.kind.c_str(),
                    s.status.c_str(), overdue ? " OVERDUE" : "", when(s.received_at).c_str(),
                    s.terminal.empty() ? s.source.c_str() : s.terminal.c_str(), what.c_str());
    }
    if (json)
        std::printf("%s\n", out.dump(2).c_str());
    else
        std::printf("%zu submissions\n", rows->size());
    return 0;
}

int cmd_show(const HubConfig& cfg, const std::string& id, const std::string& secret_key_file) {
    auto text = util::read_file(secret_key_file, 4096);
    if (!text) return complain("cannot read the secret key: " + text.error().message);
    auto sk = sign::parse_seal_secret_key(*text);
    sodium_memzero(text->data(), text->size());
    if (!sk) return complain("the secret key file is not usable: " + sk.error().message);
    submit::SealPublicKey pk{};
    crypto_scalarmult_base(pk.data(), sk->data());
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    auto s = store->submission(id);
    if (!s) return complain(s.error().message);
    if (!*s) return complain("no submission " + id);
    auto plain = submit::open_sealed(pk, *sk, (*s)->sealed);
    sodium_memzero(sk->data(), sk->size());
    if (!plain)
        return complain("cannot open submission " + id + " with this key (" +
                        plain.error().message + ")");
    std::printf("id:       %s\nkind:     %s\nstatus:   %s\nreceived: %s from %s\nmeta:     %s\n",
                (*s)->id.c_str(), (*s)->kind.c_str(), (*s)->status.c_str(),
                when((*s)->received_at).c_str(),
                (*s)->terminal.empty() ? (*s)->source.c_str() : (*s)->terminal.c_str(),
                (*s)->meta_json.c_str());
    auto content = nlohmann::json::parse(*plain, nullptr, false);
    std::printf("content:\n%s\n",
                content.is_discarded() ? plain->c_str() : content.dump(2, ' ', false).c_str());
    if (!(*s)->reply.empty()) std::printf("reply:    %s\n", (*s)->reply.c_str());
    sodium_memzero(plain->data(), plain->size());
    return 0;
}

int cmd_reply(const HubConfig& cfg, const std::string& id, const std::string& status,
              const std::string& text) {
    if (!sync::is_known_status(status))
        return complain("--status must be received, in_progress, answered or closed", 2);
    if (text.size() > 16 * 1024) return complain("--text is longer than 16 KiB", 2);
    if (util::find_invalid_utf8(text) != std::string_view::npos)
        return complain("--text is not UTF-8", 2);
    auto store = open_store(cfg);
    if (!store) return complain(store.error().message);
    auto done = store->set_reply(id, status, text, util::wall_now());
    if (!done) return complain(done.error().message);
    if (!*done) return complain("no submission " + id);
    std::printf("submission %s is now %s\n", id.c_str(), status.c_str());
    return 0;
}

}  // namespace kiosk::hub
