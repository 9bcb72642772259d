// Writes a frame (RGB rows from the top, as Renderer::read_rgb gives them) to a PNG file.
#pragma once

#include <string>
#include <vector>

#include "util/result.hpp"

namespace kiosk::app {

Status write_png(const std::string& path, int width, int height,
                 const std::vector<unsigned char>& rgb);

}  // namespace kiosk::app
