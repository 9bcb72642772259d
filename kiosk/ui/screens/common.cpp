// Text styles shared by the screens, sized by the theme (large text included).
#include "screens.hpp"

namespace kiosk::ui::screens {

TextStyle body(const View& v) {
    return {v.fonts.body, v.m.body_px, color::text, 0.45f};
}
TextStyle title(const View& v) {
    return {v.fonts.title, v.m.title_px, color::text, 0.3f};
}
TextStyle small(const View& v) {
    return {v.fonts.small, v.m.small_px, color::text_muted, 0.35f};
}

}  // namespace kiosk::ui::screens
