// make_qr through libqrencode.
#include "submit/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace kiosk::submit {

Result<QrMatrix> make_qr(std::string_view text) {
    if (text.empty()) return make_error("invalid", "a QR code needs some text");
    struct Free {
        void operator()(QRcode* q) const { QRcode_free(q); }
    };
    std::unique_ptr<QRcode, Free> code(
        QRcode_encodeData(static_cast<int>(text.size()),
                          reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
    if (!code) {
        return make_error(errno == ERANGE ? "too_long" : "qr",
                          "cannot make a QR code of " + std::to_string(text.size()) + " bytes");
    }
    QrMatrix m;
    m.size = code->width;
    m.dark.resize(static_cast<size_t>(m.size) * m.size);
    for (size_t i = 0; i < m.dark.size(); ++i)
        m.dark[i] = code->data[i] & 1;  // bit 0 is the module; the others say what it is for
    return m;
}

}  // namespace kiosk::submit
