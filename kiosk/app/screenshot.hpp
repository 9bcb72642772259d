// Reads the GL back buffer into a PNG file.
#pragma once

#include <string>

#include "util/result.hpp"

namespace kiosk::app {

Status write_screenshot(const std::string& path, int width, int height);

}  // namespace kiosk::app
