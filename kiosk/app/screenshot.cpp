// Screenshots for replay tests: stb_image_write (libstb has the code).
#include "screenshot.hpp"

#include <stb_image_write.h>

namespace kiosk::app {

Status write_png(const std::string& path, int width, int height,
                 const std::vector<unsigned char>& rgb) {
    if (rgb.size() != static_cast<size_t>(width) * height * 3)
        return make_error("io", "screenshot " + path + ": the frame has the wrong size");
    if (!stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3))
        return make_error("io", "cannot write screenshot " + path);
    return {};
}

}  // namespace kiosk::app
