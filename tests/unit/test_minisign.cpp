// Tests for sign/minisign: our own round trips, every failure code, and interop with the minisign
// CLI.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sign/minisign.hpp"
#include "util/base64.hpp"

using namespace kiosk;
using namespace kiosk::sign;

namespace {

// A fresh directory under /tmp, removed with everything in it when the test ends.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/kiosk-minisign-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void flip_byte(const std::string& path, size_t offset) {
    std::string data = read_text(path);
    REQUIRE(offset < data.size());
    data[offset] = static_cast<char>(data[offset] ^ 0x01);
    write_text(path, data);
}

// The hex key id printed right after `phrase` in minisign's output, as a number: minisign 0.11
// prints ids with %lX (no leading zeros) while newer releases and key_id_hex() pad to 16 digits.
uint64_t printed_key_id(const std::string& output, const std::string& phrase) {
    size_t at = output.find(phrase);
    REQUIRE_MESSAGE(at != std::string::npos, output);
    return std::stoull(output.substr(at + phrase.size(), 16), nullptr, 16);
}

uint64_t key_id_value(const PublicKey& key) {
    return std::stoull(key.key_id_hex(), nullptr, 16);
}

template <class T> std::string why(const Result<T>& r) {
    return r.ok() ? std::string() : r.error().code + ": " + r.error().message;
}

struct Run {
    int status;
    std::string output;  // stdout and stderr together
};

// Runs a shell command in `dir` with stdin closed, so a password prompt fails instead of hanging.
Run run(const TempDir& dir, const std::string& command) {
    std::string full = "cd '" + dir.file("") + "' && " + command + " </dev/null 2>&1";
    FILE* pipe = ::popen(full.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
        output.append(buf, n);
    int status = ::pclose(pipe);
    return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

void require_minisign_cli() {
    REQUIRE_MESSAGE(std::system("minisign -v >/dev/null 2>&1") == 0,
                    "the minisign CLI is needed for the interop tests (apt-get install minisign)");
}

// Keys written by our generator into dir/our.pub and dir/our.key.
std::pair<PublicKey, SecretKey> write_our_keys(const TempDir& dir) {
    auto pair = generate_signing_keypair();
    REQUIRE(pair.ok());
    write_text(dir.file("our.pub"), pair->public_text);
    write_text(dir.file("our.key"), pair->secret_text);
    auto pub = parse_public_key(pair->public_text);
    auto sec = parse_secret_key(pair->secret_text);
    REQUIRE(pub.ok());
    REQUIRE(sec.ok());
    return {*pub, *sec};
}

Signature sign_and_parse(const std::string& path, const SecretKey& key) {
    auto text = sign_file(path, key, "trusted comment");
    REQUIRE(text.ok());
    auto sig = parse_signature(*text);
    REQUIRE(sig.ok());
    return *sig;
}

// Re-encodes a key or signature line after changing one decoded byte.
std::string patch_base64_line(const std::string& line, size_t offset, uint8_t value) {
    uint8_t blob[256];
    auto n = util::base64_decode(line, blob, sizeof blob);
    REQUIRE(n.ok());
    REQUIRE(offset < *n);
    blob[offset] = value;
    return util::base64_encode(blob, *n);
}

const char* const kMinisignPub = "untrusted comment: minisign public key 55E459A1B65D6532\n"
                                 "RWQyZV22oVnkVSf/i+6Z1afgFumJfsJlUlXeCrGGjEKf/4pVdu0jklN0\n";
const char* const kMinisignSig =
    "untrusted comment: signature from minisign secret key\n"
    "RUQyZV22oVnkVWfUinYruq4brJ+"
    "hO1AOdqrY8YyaQiLW92hR9ouI8BakzWmsShzdVXMWeahzMcOHG3hNOhNBBgzYbWoAS1eR"
    "PwM=\n"
    "trusted comment: trusted comment here\n"
    "c4L/qhXgt2dygNq6GYT1VAQ128ebPiM43xHBUJk1msfqCqz4/db0zCkD0lYqab3HapWvsQAU66vnwcTp4fXvBw==\n";

}  // namespace

TEST_CASE("a minisign key id prints as minisign prints it, last byte first in uppercase hex") {
    auto key = parse_public_key(kMinisignPub);
    REQUIRE(key.ok());
    CHECK(key->key_id_hex() == "55E459A1B65D6532");
    PublicKey small;
    small.key_id = {0x3D, 0x60, 0x22, 0x3C, 0x29, 0xC3, 0xF2, 0x06};
    CHECK(small.key_id_hex() == "06F2C3293C22603D");  // always 16 digits, zero-padded
    auto bare = parse_public_key("RWQyZV22oVnkVSf/i+6Z1afgFumJfsJlUlXeCrGGjEKf/4pVdu0jklN0");
    REQUIRE(bare.ok());
    CHECK(bare->key == key->key);
}

TEST_CASE("a minisign .minisig file parses and formats back byte for byte") {
    auto sig = parse_signature(kMinisignSig);
    REQUIRE(sig.ok());
    CHECK(sig->prehashed);
    CHECK(sig->untrusted_comment == "signature from minisign secret key");
    CHECK(sig->trusted_comment == "trusted comment here");
    CHECK(format_signature(*sig) == kMinisignSig);
}

TEST_CASE("a file signed by our minisign code verifies with our verifier") {
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    write_text(dir.file("data"), "hello kiosk\n");
    auto text = sign_file(dir.file("data"), sec, "trusted comment");
    REQUIRE(text.ok());
    auto sig = parse_signature(*text);
    REQUIRE(sig.ok());
    CHECK(sig->prehashed);
    CHECK(sig->trusted_comment == "trusted comment");
    CHECK(sig->untrusted_comment == "signature from kiosk-bundle secret key");
    CHECK(format_signature(*sig) == *text);
    auto verified = verify_file(dir.file("data"), *sig, {pub});
    REQUIRE_MESSAGE(verified.ok(), why(verified));
    CHECK(verified->key_id_hex() == pub.key_id_hex());
    CHECK(sec.public_key().key == pub.key);
}

TEST_CASE("a flipped byte in a minisign-signed file gives bad_signature") {
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    write_text(dir.file("data"), "the bundle contents");
    Signature sig = sign_and_parse(dir.file("data"), sec);
    flip_byte(dir.file("data"), 4);
    auto verified = verify_file(dir.file("data"), sig, {pub});
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "bad_signature");
}

TEST_CASE("a flipped byte in a minisign file signature gives bad_signature") {
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    write_text(dir.file("data"), "the bundle contents");
    Signature sig = sign_and_parse(dir.file("data"), sec);
    sig.sig[10] ^= 0x01;
    auto verified = verify_file(dir.file("data"), sig, {pub});
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "bad_signature");
}

TEST_CASE("an edited minisign trusted comment or global signature gives bad_trusted_comment") {
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    write_text(dir.file("data"), "the bundle contents");
    auto text = sign_file(dir.file("data"), sec, "version 7");
    REQUIRE(text.ok());
    std::string edited = *text;
    edited.replace(edited.find("version 7"), 9, "version 8");
    auto sig = parse_signature(edited);
    REQUIRE(sig.ok());
    auto verified = verify_file(dir.file("data"), *sig, {pub});
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "bad_trusted_comment");

    auto original = parse_signature(*text);
    REQUIRE(original.ok());
    original->global_sig[0] ^= 0x80;
    verified = verify_file(dir.file("data"), *original, {pub});
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "bad_trusted_comment");
}

TEST_CASE("a minisign signature from an untrusted key gives unknown_key naming the key id") {
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    auto other = generate_signing_keypair();
    REQUIRE(other.ok());
    auto other_pub = parse_public_key(other->public_text);
    REQUIRE(other_pub.ok());
    write_text(dir.file("data"), "x");
    Signature sig = sign_and_parse(dir.file("data"), sec);
    auto verified = verify_file(dir.file("data"), sig, {*other_pub});
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "unknown_key");
    CHECK(verified.error().message.find(pub.key_id_hex()) != std::string::npos);
    // With both keys trusted, the right one is picked and returned.
    auto both = verify_file(dir.file("data"), sig, {*other_pub, pub});
    REQUIRE(both.ok());
    CHECK(both->key == pub.key);
}

TEST_CASE("minisign signing and verifying a missing file give io errors") {
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    auto signed_text = sign_file(dir.file("missing"), sec, "t");
    REQUIRE_FALSE(signed_text.ok());
    CHECK(signed_text.error().code == "io");
    write_text(dir.file("data"), "x");
    Signature sig = sign_and_parse(dir.file("data"), sec);
    auto verified = verify_file(dir.file("missing"), sig, {pub});
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == "io");
    auto read = read_public_key_file(dir.file("missing.pub"));
    REQUIRE_FALSE(read.ok());
    CHECK(read.error().code == "io");
}

TEST_CASE("minisign signing refuses comments that minisign could not read back") {
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    write_text(dir.file("data"), "x");
    auto two_lines = sign_file(dir.file("data"), sec, "one\ntwo");
    REQUIRE_FALSE(two_lines.ok());
    CHECK(two_lines.error().code == "format");
    auto too_long = sign_file(dir.file("data"), sec, std::string(8174, 'a'));
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.error().code == "format");
    auto longest = sign_file(dir.file("data"), sec, std::string(8173, 'a'));
    CHECK(longest.ok());
}

TEST_CASE("an encrypted minisign secret key is refused with encrypted_key and a way out") {
    auto pair = generate_signing_keypair();
    REQUIRE(pair.ok());
    const std::string& text = pair->secret_text;
    size_t nl = text.find('\n');
    std::string line = text.substr(nl + 1, text.size() - nl - 2);
    std::string encrypted = patch_base64_line(patch_base64_line(line, 2, 'S'), 3, 'c');
    auto key = parse_secret_key(text.substr(0, nl + 1) + encrypted + "\n");
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == "encrypted_key");
    CHECK(key.error().message.find("minisign -C -W") != std::string::npos);
}

TEST_CASE("a corrupted minisign secret key fails its checksum or seed check") {
    auto pair = generate_signing_keypair();
    REQUIRE(pair.ok());
    const std::string& text = pair->secret_text;
    size_t nl = text.find('\n');
    std::string line = text.substr(nl + 1, text.size() - nl - 2);
    uint8_t blob[158];
    REQUIRE(util::base64_decode(line, blob, sizeof blob).ok());
    // A damaged seed byte (offset 62 starts the secret key) with the checksum intact.
    auto damaged = parse_secret_key(text.substr(0, nl + 1) +
                                    patch_base64_line(line, 62, blob[62] ^ 0x01) + "\n");
    REQUIRE_FALSE(damaged.ok());
    CHECK(damaged.error().code == "format");
    CHECK(damaged.error().message.find("checksum") != std::string::npos);
    // The same damage with a zeroed checksum (as minisign -W writes) is caught by the seed check.
    std::string zeroed = line;
    for (size_t i = 126; i < 158; ++i)
        zeroed = patch_base64_line(zeroed, i, 0);
    CHECK(parse_secret_key(text.substr(0, nl + 1) + zeroed + "\n").ok());
    auto seed_damaged = parse_secret_key(text.substr(0, nl + 1) +
                                         patch_base64_line(zeroed, 62, blob[62] ^ 0x01) + "\n");
    REQUIRE_FALSE(seed_damaged.ok());
    CHECK(seed_damaged.error().code == "format");
}

TEST_CASE("malformed minisign keys and signatures give format errors, never crashes") {
    const std::string pub_line = "RWQyZV22oVnkVSf/i+6Z1afgFumJfsJlUlXeCrGGjEKf/4pVdu0jklN0";
    const std::string sig(kMinisignSig);
    const std::string cases_pub[] = {
        "",
        "\n\n",
        "untrusted comment: only a comment\n",
        "comment without prefix\n" + pub_line + "\n",
        "untrusted comment: x\n" + pub_line + "\ntrailing garbage\n",
        "untrusted comment: x\n" + pub_line.substr(0, 40) + "\n",
        "untrusted comment: x\n" + pub_line + "AAAA\n",
        "untrusted comment: x\n" + pub_line.substr(0, 55) + "!\n",
        "untrusted comment: x\n" + patch_base64_line(pub_line, 1, 'D') + "\n",
        "untrusted comment: " + std::string(9000, 'a') + "\n" + pub_line + "\n",
        std::string("untrusted comment: x\0y\n", 23) + pub_line + "\n",
        "untrusted comment: x\r\r\n" + pub_line + "\n",
    };
    for (const auto& text : cases_pub) {
        auto key = parse_public_key(text);
        CHECK_FALSE(key.ok());
        if (!key.ok()) CHECK(key.error().code == "format");
    }
    const std::string cases_sig[] = {
        "",
        sig.substr(0, sig.rfind("c4L/")),
        sig + "extra line\n",
        sig.substr(sig.find('\n') + 1),
        "untrusted\n" + sig.substr(sig.find('\n') + 1),
        sig.substr(0, sig.find("trusted comment: trusted")) + "trusted: x\n" +
            sig.substr(sig.rfind("c4L/")),
        sig.substr(0, sig.rfind("==")) + "\n",
        sig.substr(0, sig.find("RUQy")) + "RUQy" + sig.substr(sig.find("RUQy") + 8),
        sig.substr(0, sig.find("RUQy")) + "RXQy" + sig.substr(sig.find("RUQy") + 4),
    };
    for (const auto& text : cases_sig) {
        auto parsed = parse_signature(text);
        CHECK_FALSE(parsed.ok());
        if (!parsed.ok()) CHECK(parsed.error().code == "format");
    }
    CHECK(parse_secret_key(kMinisignPub).error().code == "format");
    CHECK(parse_secret_key("untrusted comment: x\n").error().code == "format");
    // Windows line endings and a missing final newline are still a valid signature.
    std::string crlf;
    for (char c : sig)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK(parse_signature(crlf).ok());
    CHECK(parse_signature(sig.substr(0, sig.size() - 1)).ok());
}

TEST_CASE(
    "a key pair from minisign -G -W parses, signs with our code, and minisign -V accepts it") {
    require_minisign_cli();
    TempDir dir;
    Run gen = run(dir, "minisign -G -W -p k.pub -s k.sec");
    REQUIRE_MESSAGE(gen.status == 0, gen.output);
    auto pub = read_public_key_file(dir.file("k.pub"));
    auto sec = read_secret_key_file(dir.file("k.sec"));
    REQUIRE(pub.ok());
    REQUIRE_MESSAGE(sec.ok(), why(sec));
    CHECK(printed_key_id(read_text(dir.file("k.pub")), "minisign public key ") ==
          key_id_value(*pub));
    CHECK(sec->public_key().key == pub->key);
    CHECK(sec->public_key().key_id == pub->key_id);

    write_text(dir.file("file"), "signed by kiosk code\n");
    auto text = sign_file(dir.file("file"), *sec, "trusted comment");
    REQUIRE(text.ok());
    write_text(dir.file("file.minisig"), *text);
    Run verify = run(dir, "minisign -Vm file -p k.pub");
    CHECK_MESSAGE(verify.status == 0, verify.output);
    CHECK(verify.output.find("Trusted comment: trusted comment") != std::string::npos);
}

TEST_CASE("a signature from minisign -S verifies with our verifier, prehashed and legacy") {
    require_minisign_cli();
    TempDir dir;
    REQUIRE(run(dir, "minisign -G -W -p k.pub -s k.sec").status == 0);
    auto pub = read_public_key_file(dir.file("k.pub"));
    REQUIRE(pub.ok());
    write_text(dir.file("file"), std::string(300000, 'k'));
    Run hashed = run(dir, "minisign -S -s k.sec -m file -t 'trusted comment'");
    REQUIRE_MESSAGE(hashed.status == 0, hashed.output);
    Run legacy = run(dir, "minisign -S -l -s k.sec -m file -x file.legacy -t 'trusted comment'");
    REQUIRE_MESSAGE(legacy.status == 0, legacy.output);

    for (const char* name : {"file.minisig", "file.legacy"}) {
        CAPTURE(name);
        auto sig = read_signature_file(dir.file(name));
        REQUIRE(sig.ok());
        CHECK(sig->prehashed == (std::string(name) == "file.minisig"));
        CHECK(sig->trusted_comment == "trusted comment");
        CHECK(format_signature(*sig) == read_text(dir.file(name)));
        auto verified = verify_file(dir.file("file"), *sig, {*pub});
        CHECK_MESSAGE(verified.ok(), why(verified));
    }
    flip_byte(dir.file("file"), 1234);
    auto sig = read_signature_file(dir.file("file.legacy"));
    REQUIRE(sig.ok());
    CHECK(verify_file(dir.file("file"), *sig, {*pub}).error().code == "bad_signature");
}

TEST_CASE("our generated minisign key pair signs with minisign -S and both verifiers accept it") {
    require_minisign_cli();
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    write_text(dir.file("file"), "signed by the minisign CLI with our key\n");
    Run hashed = run(dir, "minisign -S -s our.key -m file -t 'trusted comment'");
    REQUIRE_MESSAGE(hashed.status == 0, hashed.output);
    CHECK(hashed.output.find("Password") == std::string::npos);
    Run legacy = run(dir, "minisign -S -l -s our.key -m file -x file.legacy -t 'trusted comment'");
    REQUIRE_MESSAGE(legacy.status == 0, legacy.output);

    for (const char* name : {"file.minisig", "file.legacy"}) {
        CAPTURE(name);
        Run cli = run(dir, std::string("minisign -V -m file -p our.pub -x ") + name);
        CHECK_MESSAGE(cli.status == 0, cli.output);
        auto sig = read_signature_file(dir.file(name));
        REQUIRE(sig.ok());
        auto verified = verify_file(dir.file("file"), *sig, {pub});
        CHECK_MESSAGE(verified.ok(), why(verified));
    }
    // minisign -R recreates the public key from our secret key: same id, same bytes.
    Run recreate = run(dir, "minisign -R -s our.key -p recreated.pub");
    REQUIRE_MESSAGE(recreate.status == 0, recreate.output);
    std::string recreated = read_text(dir.file("recreated.pub"));
    std::string ours = read_text(dir.file("our.pub"));
    CHECK(recreated.substr(recreated.find('\n')) == ours.substr(ours.find('\n')));
    CHECK(printed_key_id(recreated, "minisign public key ") == key_id_value(pub));
    CHECK(ours.rfind("untrusted comment: minisign public key " + pub.key_id_hex() + "\n", 0) == 0);
}

TEST_CASE("our minisign key ids match the ones minisign -V reports for a key mismatch") {
    require_minisign_cli();
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    REQUIRE(run(dir, "minisign -G -W -p other.pub -s other.sec").status == 0);
    auto other = read_public_key_file(dir.file("other.pub"));
    REQUIRE(other.ok());
    write_text(dir.file("file"), "x");
    auto text = sign_file(dir.file("file"), sec, "trusted comment");
    REQUIRE(text.ok());
    write_text(dir.file("file.minisig"), *text);
    Run cli = run(dir, "minisign -Vm file -p other.pub");
    CHECK(cli.status != 0);
    CHECK(printed_key_id(cli.output, "file.minisig is ") == key_id_value(pub));
    CHECK(printed_key_id(cli.output, "in the public key is ") == key_id_value(*other));
}

TEST_CASE("a 64 MiB file is minisign-signed and verified by streaming, and minisign agrees") {
    require_minisign_cli();
    TempDir dir;
    auto [pub, sec] = write_our_keys(dir);
    write_text(dir.file("big"), "start");
    // A sparse file: 64 MiB to hash without writing 64 MiB to /tmp.
    REQUIRE(::truncate(dir.file("big").c_str(), 64 << 20) == 0);
    auto text = sign_file(dir.file("big"), sec, "trusted comment");
    REQUIRE(text.ok());
    write_text(dir.file("big.minisig"), *text);
    auto sig = parse_signature(*text);
    REQUIRE(sig.ok());
    CHECK(verify_file(dir.file("big"), *sig, {pub}).ok());
    Run cli = run(dir, "minisign -Vm big -p our.pub");
    CHECK_MESSAGE(cli.status == 0, cli.output);
}
