// ESC/POS receipt bytes (GB18030 text, native QR commands) and writing them to the printer.
#include "submit/escpos.hpp"

#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#include <cerrno>

#include "submit/receipt_code.hpp"
#include "util/file_io.hpp"

namespace kiosk::submit {

namespace {

constexpr char ESC = 0x1B, GS = 0x1D, FS = 0x1C, LF = 0x0A;

std::string bytes(std::initializer_list<int> list) {
    std::string out;
    for (int b : list)
        out.push_back(static_cast<char>(b));
    return out;
}

// GS ( k pL pH cn fn [m]: one QR function call; the length counts cn, fn and the parameters.
std::string qr_function(int fn, const std::string& params) {
    const size_t n = params.size() + 2;
    return bytes({GS, '(', 'k', static_cast<int>(n & 0xFF), static_cast<int>(n >> 8), 49, fn}) +
           params;
}

std::string text_line(std::string_view utf8) {
    auto gb = to_gb18030(utf8);
    return (gb ? *gb : std::string("?")) + LF;
}

}  // namespace

Result<std::string> to_gb18030(std::string_view utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return make_error("encoding", "this system's iconv cannot convert to GB18030");
    }
    std::string out(utf8.size() * 2 + 16, '\0');  // GB18030 needs at most 4 bytes per 3-4 of UTF-8
    char* in_p = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size();
    char* out_p = out.data();
    size_t out_left = out.size();
    size_t rc = iconv(cd, &in_p, &in_left, &out_p, &out_left);
    iconv_close(cd);
    if (rc == static_cast<size_t>(-1)) {
        return make_error("encoding", "text is not valid UTF-8 and cannot be printed");
    }
    out.resize(out.size() - out_left);
    return out;
}

std::string escpos_receipt(const PrintedReceipt& r) {
    const std::string digits = receipt_digits(r.code_formatted);
    std::string out;
    out += bytes({ESC, '@'});     // initialise: forget what a previous job set
    out += bytes({FS, '&'});      // Chinese character mode (two-byte text)
    out += bytes({ESC, 'a', 1});  // centred
    out += bytes({ESC, 'E', 1});  // bold title
    out += text_line(r.title);
    out += bytes({ESC, 'E', 0});
    out += LF;
    out += text_line("回执编号");
    out += bytes({GS, '!', 0x11});  // double width and height: readable at arm's length
    out += text_line(r.code_formatted);
    out += bytes({GS, '!', 0x00});
    out += LF;
    out += qr_function(65, bytes({50, 0}));        // model 2
    out += qr_function(67, bytes({6}));            // module size 6 dots
    out += qr_function(69, bytes({49}));           // error correction M, as on screen
    out += qr_function(80, bytes({48}) + digits);  // store the 16 digits
    out += qr_function(81, bytes({48}));           // print it
    out += LF;
    out += text_line(r.date_text);
    out += text_line("监督热线：" + r.hotline);
    out += bytes({ESC, 'a', 0});  // left-aligned for the sentences
    if (!r.how_to_check.empty()) out += text_line(r.how_to_check);
    out += bytes({FS, '.'});         // back to single-byte mode for the next job
    out += bytes({ESC, 'd', 4});     // feed past the cutter
    out += bytes({GS, 'V', 66, 0});  // partial cut
    return out;
}

Status print_receipt(const std::string& device_path, const std::string& data) {
    if (device_path.empty()) return make_error("no_printer", "no receipt printer is configured");
    int fd =
        ::open(device_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0) {
        int err = errno;
        return make_error(err == ENOENT || err == ENXIO || err == ENODEV ? "no_printer" : "io",
                          "receipt printer " + device_path + ": " + util::describe_errno(err) +
                              (err == ENOENT ? " (is it plugged in and switched on?)" : ""));
    }
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            return make_error("io",
                              "receipt printer " + device_path + ": " + util::describe_errno(err));
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    // A printer device may not support fsync (EINVAL); a capture file must be complete.
    if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
        int err = errno;
        ::close(fd);
        return make_error("io",
                          "receipt printer " + device_path + ": " + util::describe_errno(err));
    }
    if (::close(fd) != 0) {
        return make_error("io",
                          "receipt printer " + device_path + ": " + util::describe_errno(errno));
    }
    return {};
}

}  // namespace kiosk::submit
