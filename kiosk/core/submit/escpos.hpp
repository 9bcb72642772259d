// The printed receipt for an ESC/POS thermal printer: the code, a QR code, the date, the hotline.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::submit {

// Everything on the paper. Never put what a person wrote here: a receipt left on the counter
// must not tell anyone what was reported.
struct PrintedReceipt {
    std::string title;           // "阳光终端 · 举报回执"
    std::string code_formatted;  // "1234-5678-9012-3456"
    std::string date_text;       // "2026年11月27日 10:05"
    std::string hotline = "12356";
    std::string how_to_check;  // one or two sentences on how to look the receipt up later
};

// The bytes for the printer: ESC @ (reset), FS & (Chinese mode), the text in GB18030 (what
// Chinese ESC/POS printers read), the code at double size (GS !), a QR code of the 16 digits
// (GS ( k, model 2, level M), a feed and a cut (GS V).
std::string escpos_receipt(const PrintedReceipt& receipt);

// UTF-8 to GB18030 through iconv; "encoding" for text that is not UTF-8.
Result<std::string> to_gb18030(std::string_view utf8);

// Writes the bytes to the printer device (or a file: opened for appending, created if missing)
// and closes it. "no_printer" when the path is empty or the device is not there.
Status print_receipt(const std::string& device_path, const std::string& bytes);

}  // namespace kiosk::submit
