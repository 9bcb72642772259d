// Reading and durably writing files, with a seam (FileSink) so tests can fail writes on purpose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "util/result.hpp"

namespace kiosk::util {

// Reads a whole file; refuses files larger than max_bytes with code "too_large".
Result<std::string> read_file(const std::string& path, uint64_t max_bytes = UINT64_MAX);

// The first n bytes of a file (fewer if it is shorter).
Result<std::string> read_prefix(const std::string& path, size_t n);

// File size in bytes, or an "io" error.
Result<uint64_t> file_size(const std::string& path);

// Reads a file in 1 MiB chunks, handing each to `chunk` in order; stops at the first error from
// `chunk`, and with "too_large" once more than max_bytes have been read.
using ChunkReader = std::function<Status(const char* data, size_t size)>;
Status read_chunks(const std::string& path, uint64_t max_bytes, const ChunkReader& chunk);

// Where written bytes go. The real one is a POSIX file; tests substitute one that fails.
class FileSink {
public:
    virtual ~FileSink() = default;
    virtual Status write(const char* data, size_t size) = 0;
    // Flushes the bytes to stable storage (fsync).
    virtual Status sync() = 0;
    virtual Status close() = 0;
};

// Opens `path` for writing (created or truncated, mode 0644).
using OpenSink = std::function<Result<std::unique_ptr<FileSink>>(const std::string& path)>;
Result<std::unique_ptr<FileSink>> open_posix_sink(const std::string& path);

// Copies src into the sink in 1 MiB chunks, then syncs and closes it. Refuses a source larger
// than max_bytes ("too_large") without writing past the cap.
Status copy_into(const std::string& src, FileSink& sink, uint64_t max_bytes = UINT64_MAX);

// The same, also handing every chunk to `observe` (a hash, say) on a second thread while the
// chunk is written, so a 2-core terminal hashes and writes at once. Chunks arrive in order.
using ChunkObserver = std::function<void(const char* data, size_t size)>;
Status copy_into(const std::string& src, FileSink& sink, uint64_t max_bytes,
                 const ChunkObserver& observe);

// Writes data to path through a temporary file, fsync and rename: readers see old or new bytes.
Status write_file_atomic(const std::string& path, const std::string& data);

// fsync on an existing file written by someone else (SQLite's VACUUM INTO, say).
Status sync_file(const std::string& path);

// fsync on a directory, so that renames and new entries in it survive a power cut.
Status sync_directory(const std::string& dir);

// Free bytes for unprivileged users on the filesystem holding path.
Result<uint64_t> free_disk_bytes(const std::string& path);

// Message for errno values that a technician can act on ("disk full" rather than ENOSPC).
std::string describe_errno(int err);

}  // namespace kiosk::util
