// A fault seam for file writes: a sink that fails with "disk full" after a number of bytes.
#pragma once

#include <cstdint>

#include "util/file_io.hpp"

namespace kiosk::util {

// Wraps `inner` so that every sink it opens fails with ENOSPC's error once `budget` bytes have
// been written through all of them together, as a filling disk would.
OpenSink failing_after(OpenSink inner, uint64_t budget);

}  // namespace kiosk::util
