// Helpers shared by unit tests: temporary folders, a small valid content source, signed bundles.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "content/bundle_builder.hpp"
#include "content/source.hpp"
#include "sign/minisign.hpp"
#include "sign/seal_keys.hpp"
#include "util/file_io.hpp"

namespace kiosk::testing {

// A fresh folder under /tmp, removed with everything in it when the test ends.
class TempDir {
public:
    TempDir() {
        std::string tmpl = "/tmp/kiosk-test-XXXXXX";
        char* p = ::mkdtemp(tmpl.data());
        REQUIRE(p != nullptr);
        path_ = p;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

inline void write_text(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

inline std::string read_text(const std::string& path) {
    auto r = util::read_file(path);
    REQUIRE(r.ok());
    return *r;
}

// A small source with every kind the builder checks: an article, an office and a guide.
inline void write_minimal_source(const std::string& dir) {
    auto seal = sign::generate_seal_keypair();
    REQUIRE(seal.ok());
    write_text(dir + "/bundle.toml",
               "title = \"测试县阳光公开\"\nscope = \"test-county\"\nvalid_days = 365\n"
               "min_kiosk_version = \"0.1.0\"\nseal_public_key = \"" +
                   seal->public_base64 +
                   "\"\n\n[[category]]\nid = \"policy\"\nname = \"政策法规\"\n"
                   "description = \"政策\"\n\n[[category]]\nid = \"guides\"\nname = \"办事指南\"\n"
                   "description = \"指南\"\n\n[[category]]\nid = \"bodies\"\nname = \"执法主体\"\n"
                   "description = \"机关\"\n");
    write_text(dir + "/report_categories.toml",
               "[[category]]\nid = \"illegal-fees\"\nname = \"乱收费乱罚款\"\n"
               "description = \"超标准收费\"\n");
    write_text(dir + "/rating_targets.toml",
               "[[township]]\nid = \"chengguan\"\nname = \"城关镇\"\n\n[[township.office]]\n"
               "id = \"chengguan-office\"\nname = \"城关镇人口计生办\"\n"
               "windows = [\"1号窗口\", \"2号窗口\"]\n");
    write_text(dir + "/docs/policy/law.md",
               "+++\nid = \"policy-law\"\nkind = \"article\"\ncategory = \"policy\"\n"
               "title = \"人口与计划生育法要点\"\nsummary = \"法律要点。\"\n"
               "issuer = \"测试县人口计生委\"\nupdated = 2026-03-01\n+++\n\n"
               "# 总则\n\n公民有依法生育的权利。B超检查须在正规机构进行，热线12356。\n\n"
               "| 项目 | 标准 |\n| --- | --- |\n| 登记 | 免费 |\n");
    write_text(dir + "/docs/bodies/office.md",
               "+++\nid = \"office-chengguan\"\nkind = \"office\"\ncategory = \"bodies\"\n"
               "title = \"城关镇人口计生办\"\nsummary = \"城关镇的办事机构。\"\n"
               "issuer = \"城关镇人民政府\"\nupdated = 2026-04-01\n"
               "duties = [\"受理生育登记\"]\naddress = \"城关镇人民路1号\"\n"
               "phone = \"0000-12345678\"\nhours = \"工作日 8:30-17:00\"\n+++\n\n办公室在一楼。\n");
    write_text(dir + "/docs/guides/register.md",
               "+++\nid = \"guide-register\"\nkind = \"guide\"\ncategory = \"guides\"\n"
               "title = \"生育服务登记\"\nsummary = \"办理生育服务登记。\"\n"
               "issuer = \"测试县人口计生委\"\nupdated = 2026-05-10\n"
               "conditions = [\"已婚夫妻\"]\nmaterials = [\"身份证\", \"户口簿\"]\n"
               "time_limit = \"当场办结\"\nfee = \"不收费\"\noffice = \"office-chengguan\"\n\n"
               "[[steps]]\ntitle = \"申请\"\ndetail = \"到窗口申请。\"\n\n"
               "[[basis]]\ntitle = \"《人口与计划生育法》第十八条\"\ndoc = \"policy-law\"\n"
               "+++\n\n详见[法律要点](doc:policy-law)。\n");
}

// Builds the minimal source into `out` and signs it with a fresh key pair written to key_dir.
struct SignedBundle {
    std::string path;
    std::string public_key_file;
    std::string secret_key_file;
};

inline content::Source load_ok(const std::string& dir) {
    auto loaded = content::load_source(dir);
    for (const auto& e : loaded.errors)
        MESSAGE(e.to_string());
    REQUIRE(loaded.errors.empty());
    return loaded.source;
}

inline void build_ok(const content::Source& src, const std::string& out, int64_t version,
                     int64_t created = 0, int64_t expires = 0) {
    content::BuildOptions opt;
    opt.version = version;
    opt.out_path = out;
    opt.created_unix = created;
    opt.expires_unix = expires;
    auto r = content::build_bundle(src, opt);
    if (!r) MESSAGE(r.error().message);
    REQUIRE(r.ok());
}

inline void make_keys(const std::string& dir, const std::string& name) {
    auto kp = sign::generate_signing_keypair();
    REQUIRE(kp.ok());
    write_text(dir + "/" + name + ".pub", kp->public_text);
    write_text(dir + "/" + name + ".key", kp->secret_text);
}

inline void sign_ok(const std::string& file, const std::string& secret_key_file) {
    auto key = sign::read_secret_key_file(secret_key_file);
    REQUIRE(key.ok());
    auto sig = sign::sign_file(file, *key, "test bundle");
    REQUIRE(sig.ok());
    write_text(file + ".minisig", *sig);
}

}  // namespace kiosk::testing
