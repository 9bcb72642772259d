// The receipt on paper (ESC/POS bytes) and as a QR code.
#include <doctest/doctest.h>

#include "submit/escpos.hpp"
#include "submit/qr.hpp"
#include "test_support.hpp"

using namespace kiosk::submit;
using kiosk::testing::TempDir;

namespace {
PrintedReceipt sample() {
    PrintedReceipt r;
    r.title = "阳光终端 · 举报回执";
    r.code_formatted = "1234-5678-9012-3452";
    r.date_text = "2026年11月18日 10:05";
    r.how_to_check = "凭回执编号在本机“进度查询”或拨打 12356 查询办理结果。";
    return r;
}
}  // namespace

TEST_CASE("the printed receipt starts with init, has the title in GB18030, the QR and a cut") {
    const std::string bytes = escpos_receipt(sample());
    CHECK(bytes.rfind("\x1b@\x1c&", 0) == 0);  // ESC @, then FS & (Chinese mode)
    // "阳光终端 · 举报回执" in GB18030, as Python's str.encode('gb18030') gives it.
    const std::string title_gb = "\xd1\xf4\xb9\xe2\xd6\xd5\xb6\xcb\x20\xa1\xa4\x20\xbe\xd9\xb1\xa8"
                                 "\xbb\xd8\xd6\xb4";
    CHECK(bytes.find(title_gb) != std::string::npos);
    CHECK(bytes.find(*to_gb18030("阳光终端 · 举报回执")) != std::string::npos);
    // GS ( k, length 19 (16 digits + 3), cn 49, fn 80 (store), m 48, then the digits.
    CHECK(bytes.find(std::string("\x1d(k\x13\x00\x31\x50\x30", 8) + "1234567890123452") !=
          std::string::npos);
    CHECK(bytes.find(std::string("\x1d(k\x03\x00\x31\x51\x30", 8)) != std::string::npos);  // print
    CHECK(bytes.find("\x1d!\x11"
                     "1234-5678-9012-3452") != std::string::npos);  // double size
    CHECK(bytes.find(*to_gb18030("监督热线：12356")) != std::string::npos);
    CHECK(bytes.substr(bytes.size() - 4) == std::string("\x1dV\x42\x00", 4));  // cut, last
    CHECK(bytes.find("阳光") == std::string::npos);  // no UTF-8 left for the printer to garble
}

TEST_CASE("the printed receipt never carries what a person wrote") {
    const std::string sentence = "乡计生办王主任收了我五百元";
    const std::string bytes = escpos_receipt(sample());
    CHECK(bytes.find(sentence) == std::string::npos);
    CHECK(bytes.find(*to_gb18030(sentence)) == std::string::npos);
    CHECK(bytes.find(*to_gb18030("王主任")) == std::string::npos);
}

TEST_CASE("printing appends the bytes to the device, and a missing printer is named") {
    TempDir dir;
    const std::string bytes = escpos_receipt(sample());
    REQUIRE(print_receipt(dir / "lp0", bytes).ok());
    REQUIRE(print_receipt(dir / "lp0", bytes).ok());
    CHECK(kiosk::testing::read_text(dir / "lp0") == bytes + bytes);
    auto missing = print_receipt(dir / "usb/lp0", bytes);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "no_printer");
    CHECK(missing.error().message.find("plugged in") != std::string::npos);
    CHECK(print_receipt("", bytes).error().code == "no_printer");
    CHECK(to_gb18030("bad \xff").error().code == "encoding");
}

TEST_CASE("a receipt code becomes a QR code with finder patterns in three corners") {
    auto qr = make_qr("1234567890123452");
    REQUIRE(qr.ok());
    CHECK(qr->size >= 21);
    CHECK((qr->size - 17) % 4 == 0);
    CHECK(qr->dark.size() == static_cast<size_t>(qr->size * qr->size));
    const int far = qr->size - 7;
    for (auto [x, y] : {std::pair{0, 0}, std::pair{far, 0}, std::pair{0, far}}) {
        CHECK(qr->at(x, y));                // the finder's outer ring
        CHECK_FALSE(qr->at(x + 1, y + 1));  // its white ring
        CHECK(qr->at(x + 3, y + 3));        // its centre
    }
    CHECK(make_qr("").error().code == "invalid");
    CHECK(make_qr(std::string(4000, 'x')).error().code == "too_long");
}
