// A fault seam for SQLite files: a VFS over the default one whose writes fail with SQLITE_FULL
// once a byte budget is spent, as on a disk that fills up mid-transaction (the way SQLite's own
// tests inject I/O faults). For tests and the kiosk's KIOSK_FAULT_STATE_DISK_FULL_AFTER seam.
#pragma once

#include <cstdint>

namespace kiosk::store {

// Registers the VFS as the process default: every database opened afterwards writes through it.
// After `budget` more bytes are written, each further write fails (SQLITE_FULL) until the budget
// is raised again. Calling it again only sets a new budget.
void install_disk_full_vfs(int64_t budget);

}  // namespace kiosk::store
