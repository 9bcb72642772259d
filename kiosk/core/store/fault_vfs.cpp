// The disk-full VFS: forwards everything to the default VFS, counting the bytes each xWrite asks
// for and refusing them with SQLITE_FULL past the budget.
#include "store/fault_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace kiosk::store {

namespace {

std::atomic<int64_t> g_budget{0};
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;

// Our file: the real one's state follows this header in the same allocation.
struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultFile* self(sqlite3_file* f) {
    return reinterpret_cast<FaultFile*>(f);
}

int f_close(sqlite3_file* f) {
    return self(f)->real()->pMethods->xClose(self(f)->real());
}
int f_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
    return self(f)->real()->pMethods->xRead(self(f)->real(), p, n, off);
}
int f_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
    if (g_budget.fetch_sub(n) - n < 0) return SQLITE_FULL;
    return self(f)->real()->pMethods->xWrite(self(f)->real(), p, n, off);
}
int f_truncate(sqlite3_file* f, sqlite3_int64 size) {
    return self(f)->real()->pMethods->xTruncate(self(f)->real(), size);
}
int f_sync(sqlite3_file* f, int flags) {
    return self(f)->real()->pMethods->xSync(self(f)->real(), flags);
}
int f_size(sqlite3_file* f, sqlite3_int64* size) {
    return self(f)->real()->pMethods->xFileSize(self(f)->real(), size);
}
int f_lock(sqlite3_file* f, int l) {
    return self(f)->real()->pMethods->xLock(self(f)->real(), l);
}
int f_unlock(sqlite3_file* f, int l) {
    return self(f)->real()->pMethods->xUnlock(self(f)->real(), l);
}
int f_reserved(sqlite3_file* f, int* out) {
    return self(f)->real()->pMethods->xCheckReservedLock(self(f)->real(), out);
}
int f_control(sqlite3_file* f, int op, void* arg) {
    return self(f)->real()->pMethods->xFileControl(self(f)->real(), op, arg);
}
int f_sector(sqlite3_file* f) {
    return self(f)->real()->pMethods->xSectorSize(self(f)->real());
}
int f_device(sqlite3_file* f) {
    return self(f)->real()->pMethods->xDeviceCharacteristics(self(f)->real());
}
int f_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return self(f)->real()->pMethods->xShmMap(self(f)->real(), page, size, extend, out);
}
int f_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return self(f)->real()->pMethods->xShmLock(self(f)->real(), offset, n, flags);
}
void f_shm_barrier(sqlite3_file* f) {
    self(f)->real()->pMethods->xShmBarrier(self(f)->real());
}
int f_shm_unmap(sqlite3_file* f, int del) {
    return self(f)->real()->pMethods->xShmUnmap(self(f)->real(), del);
}

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    auto* ours = self(file);
    std::memset(ours, 0, sizeof(FaultFile));
    int rc = g_real->xOpen(g_real, name, ours->real(), flags, out_flags);
    // SQLite calls xClose only when xOpen set pMethods: ours only once the real file is open.
    if (rc == SQLITE_OK && ours->real()->pMethods) ours->base.pMethods = &g_methods;
    return rc;
}
int v_delete(sqlite3_vfs*, const char* name, int sync) {
    return g_real->xDelete(g_real, name, sync);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_real->xAccess(g_real, name, flags, out);
}
int v_full(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_real->xFullPathname(g_real, name, n, out);
}
int v_random(sqlite3_vfs*, int n, char* out) {
    return g_real->xRandomness(g_real, n, out);
}
int v_sleep(sqlite3_vfs*, int us) {
    return g_real->xSleep(g_real, us);
}
int v_time(sqlite3_vfs*, double* out) {
    return g_real->xCurrentTime(g_real, out);
}
int v_error(sqlite3_vfs*, int n, char* out) {
    return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}
int v_time64(sqlite3_vfs*, sqlite3_int64* out) {
    return g_real->xCurrentTimeInt64(g_real, out);
}

}  // namespace

void install_disk_full_vfs(int64_t budget) {
    g_budget.store(budget);
    if (g_real) return;
    g_real = sqlite3_vfs_find(nullptr);
    g_methods = sqlite3_io_methods{};
    g_methods.iVersion = 2;  // through the shared-memory calls WAL needs
    g_methods.xClose = f_close;
    g_methods.xRead = f_read;
    g_methods.xWrite = f_write;
    g_methods.xTruncate = f_truncate;
    g_methods.xSync = f_sync;
    g_methods.xFileSize = f_size;
    g_methods.xLock = f_lock;
    g_methods.xUnlock = f_unlock;
    g_methods.xCheckReservedLock = f_reserved;
    g_methods.xFileControl = f_control;
    g_methods.xSectorSize = f_sector;
    g_methods.xDeviceCharacteristics = f_device;
    g_methods.xShmMap = f_shm_map;
    g_methods.xShmLock = f_shm_lock;
    g_methods.xShmBarrier = f_shm_barrier;
    g_methods.xShmUnmap = f_shm_unmap;
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = "kiosk-disk-full";
    g_vfs.xOpen = v_open;
    g_vfs.xDelete = v_delete;
    g_vfs.xAccess = v_access;
    g_vfs.xFullPathname = v_full;
    g_vfs.xDlOpen = nullptr;
    g_vfs.xRandomness = v_random;
    g_vfs.xSleep = v_sleep;
    g_vfs.xCurrentTime = v_time;
    g_vfs.xGetLastError = v_error;
    g_vfs.xCurrentTimeInt64 = v_time64;
    sqlite3_vfs_register(&g_vfs, 1);
}

}  // namespace kiosk::store
