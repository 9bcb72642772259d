// kiosk-bundle: county staff's tool to make keys, build, sign, verify and inspect content bundles.
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli_args.hpp"
#include "content/bundle_builder.hpp"
#include "content/source.hpp"
#include "sign/minisign.hpp"
#include "sign/seal_keys.hpp"
#include "store/bundle_schema.hpp"
#include "store/search.hpp"
#include "util/clock.hpp"
#include "util/file_io.hpp"

namespace fs = std::filesystem;
using namespace kiosk;
using tools::fail;

namespace {

constexpr const char* kProgram = "kiosk-bundle";

const char* const kUsage = R"(usage:
  kiosk-bundle build SRC --out FILE.kbundle [--version N] [--created YYYY-MM-DD] [--expires YYYY-MM-DD]
  kiosk-bundle keygen --out DIR [--seal] [--force]
  kiosk-bundle sign FILE --key SECKEY
  kiosk-bundle verify FILE --pubkey PUB [--sig FILE.minisig]
  kiosk-bundle inspect FILE [--json]
  kiosk-bundle search FILE QUERY
)";

Result<int64_t> parse_date_option(const tools::Args& args, const char* option) {
    std::string v = args.get(option);
    if (v.empty()) return int64_t{0};
    auto t = store::parse_utc_time(v);
    if (!t) return make_error("usage", std::string(option) + ": " + t.error().message);
    return *t;
}

int cmd_build(const tools::Args& args) {
    if (args.positional.size() != 1 || args.get("--out").empty()) return fail(kProgram, kUsage, 2);
    const std::string src = args.positional[0];
    char* end = nullptr;
    std::string version_text = args.get("--version", "1");
    long long version = std::strtoll(version_text.c_str(), &end, 10);
    if (*end != '\0' || version <= 0)
        return fail(kProgram, "--version must be a positive integer", 2);
    auto created = parse_date_option(args, "--created");
    auto expires = parse_date_option(args, "--expires");
    if (!created) return fail(kProgram, created.error().message, 2);
    if (!expires) return fail(kProgram, expires.error().message, 2);

    auto loaded = content::load_source(src);
    if (!loaded.errors.empty()) {
        for (auto e : loaded.errors) {
            e.file = (fs::path(src) / e.file).lexically_normal().string();
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        }
        return fail(kProgram, std::to_string(loaded.errors.size()) +
                                  " error(s) in the source; no bundle was written");
    }
    content::BuildOptions opt;
    opt.version = version;
    // Without --created the bundle's date is its newest document's (byte-identical rebuilds);
    // a pinned clock (KIOSK_NOW) dates it then instead, so a test's bundle is valid at its time.
    opt.created_unix = *created ? *created : (util::wall_clock_pinned() ? util::wall_now() : 0);
    opt.expires_unix = *expires;
    opt.out_path = args.get("--out");
    auto sum = content::build_bundle(loaded.source, opt);
    if (!sum) return fail(kProgram, sum.error().message);
    std::printf("built %s: version %lld, %zu documents, %zu assets, %llu bytes, created %s, "
                "expires %s\n",
                opt.out_path.c_str(), static_cast<long long>(sum->version), sum->documents,
                sum->assets, static_cast<unsigned long long>(sum->bytes), sum->created.c_str(),
                sum->expires.c_str());
    return 0;
}

Status write_private(const std::string& path, const std::string& text, mode_t mode) {
    KIOSK_TRY(util::write_file_atomic(path, text));
    if (::chmod(path.c_str(), mode) != 0) return make_error("io", "cannot chmod " + path);
    return {};
}

int cmd_keygen(const tools::Args& args) {
    std::string dir = args.get("--out");
    if (dir.empty() || !args.positional.empty()) return fail(kProgram, kUsage, 2);
    std::error_code ec;
    fs::create_directories(dir, ec);
    bool seal = args.has("--seal");
    std::string pub = dir + (seal ? "/seal.pub" : "/county.pub");
    std::string sec = dir + (seal ? "/seal.key" : "/county.key");
    if (!args.has("--force") && (fs::exists(pub) || fs::exists(sec))) {
        return fail(kProgram, pub + " or " + sec + " exists; use --force to replace the keys");
    }
    if (seal) {
        auto kp = sign::generate_seal_keypair();
        if (!kp) return fail(kProgram, kp.error().message);
        if (Status st = write_private(sec, kp->secret_text, 0600); !st)
            return fail(kProgram, st.error().message);
        if (Status st = write_private(pub, kp->public_text, 0644); !st)
            return fail(kProgram, st.error().message);
        std::printf("sealing key pair written: %s (public), %s (secret: keep it at the county)\n"
                    "seal_public_key = \"%s\"\n",
                    pub.c_str(), sec.c_str(), kp->public_base64.c_str());
        return 0;
    }
    auto kp = sign::generate_signing_keypair();
    if (!kp) return fail(kProgram, kp.error().message);
    if (Status st = write_private(sec, kp->secret_text, 0600); !st)
        return fail(kProgram, st.error().message);
    if (Status st = write_private(pub, kp->public_text, 0644); !st)
        return fail(kProgram, st.error().message);
    auto parsed = sign::parse_public_key(kp->public_text);
    std::printf(
        "signing key pair written: %s (public, goes to every kiosk), %s (secret)\nkey id %s\n",
        pub.c_str(), sec.c_str(), parsed ? parsed->key_id_hex().c_str() : "?");
    return 0;
}

int cmd_sign(const tools::Args& args) {
    if (args.positional.size() != 1 || args.get("--key").empty()) return fail(kProgram, kUsage, 2);
    const std::string file = args.positional[0];
    auto key = sign::read_secret_key_file(args.get("--key"));
    if (!key) return fail(kProgram, key.error().message);
    auto db = store::open_bundle(file);
    if (!db) return fail(kProgram, db.error().message);
    auto meta = store::read_bundle_meta(*db);
    if (!meta) return fail(kProgram, meta.error().message);
    std::string trusted = "version:" + std::to_string(meta->version) +
                          "\tcreated:" + meta->created + "\tscope:" + meta->scope +
                          "\tfile:" + fs::path(file).filename().string();
    auto sig = sign::sign_file(file, *key, trusted);
    if (!sig) return fail(kProgram, sig.error().message);
    if (Status st = util::write_file_atomic(file + ".minisig", *sig); !st) {
        return fail(kProgram, st.error().message);
    }
    std::printf("signed %s with key %s: %s.minisig\n", file.c_str(),
                key->public_key().key_id_hex().c_str(), file.c_str());
    return 0;
}

int cmd_verify(const tools::Args& args) {
    if (args.positional.size() != 1 || args.get("--pubkey").empty())
        return fail(kProgram, kUsage, 2);
    const std::string file = args.positional[0];
    auto pub = sign::read_public_key_file(args.get("--pubkey"));
    if (!pub) return fail(kProgram, pub.error().message);
    auto sig = sign::read_signature_file(args.get("--sig", file + ".minisig"));
    if (!sig) return fail(kProgram, sig.error().message);
    auto key = sign::verify_file(file, *sig, {*pub});
    if (!key) return fail(kProgram, "verification FAILED: " + key.error().message);
    std::printf("signature verified (key %s, %s)\ntrusted comment: %s\n", key->key_id_hex().c_str(),
                sig->prehashed ? "prehashed" : "legacy", sig->trusted_comment.c_str());
    return 0;
}

int cmd_inspect(const tools::Args& args) {
    if (args.positional.size() != 1) return fail(kProgram, kUsage, 2);
    const std::string file = args.positional[0];
    if (Status st = store::check_bundle_header(file); !st)
        return fail(kProgram, st.error().message);
    auto db = store::open_bundle(file);
    if (!db) return fail(kProgram, db.error().message);
    if (Status st = store::quick_check(*db); !st) return fail(kProgram, st.error().message);
    auto meta = store::read_bundle_meta(*db);
    if (!meta) return fail(kProgram, meta.error().message);
    nlohmann::ordered_json j;
    j["file"] = file;
    j["format"] = meta->format;
    j["version"] = meta->version;
    j["title"] = meta->title;
    j["scope"] = meta->scope;
    j["created"] = meta->created;
    j["expires"] = meta->expires;
    j["min_kiosk_version"] = meta->min_kiosk_version;
    j["documents"] = meta->document_count;
    nlohmann::ordered_json cats = nlohmann::ordered_json::array();
    auto st =
        db->prepare("SELECT c.id, c.name, count(d.id) FROM categories c LEFT JOIN documents d "
                    "ON d.category = c.id GROUP BY c.id ORDER BY c.sort");
    if (st) {
        while (st->step())
            cats.push_back(
                {{"id", st->text(0)}, {"name", st->text(1)}, {"documents", st->integer(2)}});
    }
    j["categories"] = cats;
    for (const char* table : {"assets", "report_categories", "rating_targets"}) {
        auto c = db->prepare(std::string("SELECT count(*) FROM ") + table);
        if (c && c->step()) j[table] = c->integer(0);
    }
    if (auto sig = sign::read_signature_file(file + ".minisig")) {
        sign::PublicKey id_only;
        id_only.key_id = sig->key_id;
        j["signature"] = {{"key_id", id_only.key_id_hex()},
                          {"prehashed", sig->prehashed},
                          {"trusted_comment", sig->trusted_comment}};
    } else {
        j["signature"] = nullptr;
    }
    if (args.has("--json")) {
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("%s\n  version %lld, format %lld, scope %s\n  created %s, expires %s\n"
                "  %lld documents, %lld assets, %lld report categories, %lld rating targets\n",
                meta->title.c_str(), (long long)meta->version, (long long)meta->format,
                meta->scope.c_str(), meta->created.c_str(), meta->expires.c_str(),
                (long long)meta->document_count, (long long)j["assets"].get<int64_t>(),
                (long long)j["report_categories"].get<int64_t>(),
                (long long)j["rating_targets"].get<int64_t>());
    for (const auto& c : cats) {
        std::printf("  %-14s %3lld  %s\n", c["id"].get<std::string>().c_str(),
                    (long long)c["documents"].get<int64_t>(), c["name"].get<std::string>().c_str());
    }
    if (j["signature"].is_null())
        std::printf("  not signed (no %s.minisig)\n", file.c_str());
    else
        std::printf("  signed by key %s\n", j["signature"]["key_id"].get<std::string>().c_str());
    return 0;
}

int cmd_search(const tools::Args& args) {
    if (args.positional.size() != 2) return fail(kProgram, kUsage, 2);
    auto db = store::open_bundle(args.positional[0]);
    if (!db) return fail(kProgram, db.error().message);
    auto hits = store::search(*db, args.positional[1]);
    if (!hits) return fail(kProgram, hits.error().message);
    auto marked = [](const std::string& s, const std::vector<store::Highlight>& hl) {
        std::string out;
        size_t at = 0;
        for (const auto& h : hl) {
            if (h.begin < at || h.end > s.size()) continue;
            out += s.substr(at, h.begin - at) + "【" + s.substr(h.begin, h.end - h.begin) + "】";
            at = h.end;
        }
        return out + s.substr(at);
    };
    for (const auto& h : *hits) {
        std::printf("%s\t%s\t%s\n", h.doc_id.c_str(), marked(h.title, h.title_highlights).c_str(),
                    marked(h.snippet, h.snippet_highlights).c_str());
    }
    std::printf("%zu result(s)\n", hits->size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (int rc = tools::answer_help_or_version(argc, argv, kProgram, kUsage); rc >= 0) return rc;
    if (argc < 2) return fail(kProgram, kUsage, 2);
    std::string cmd = argv[1];
    auto args = tools::parse_args(
        argc, argv, 2,
        {"--out", "--version", "--created", "--expires", "--key", "--pubkey", "--sig"},
        {"--seal", "--force", "--json"});
    if (!args) return fail(kProgram, args.error().message + "\n" + kUsage, 2);
    auto pinned = util::pin_wall_clock_from_environment();
    if (!pinned) return fail(kProgram, pinned.error().message, 2);
    if (!pinned->empty()) std::fprintf(stderr, "%s: %s\n", kProgram, pinned->c_str());
    if (cmd == "build") return cmd_build(*args);
    if (cmd == "keygen") return cmd_keygen(*args);
    if (cmd == "sign") return cmd_sign(*args);
    if (cmd == "verify") return cmd_verify(*args);
    if (cmd == "inspect") return cmd_inspect(*args);
    if (cmd == "search") return cmd_search(*args);
    return fail(kProgram, "unknown command '" + cmd + "'\n" + kUsage, 2);
}
