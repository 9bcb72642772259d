// Reading and durably writing files through POSIX calls.
#include "util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <vector>

namespace kiosk::util {

namespace {

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

Error io_error(const std::string& what, const std::string& path, int err) {
    return make_error(err == ENOSPC ? "disk_full" : "io",
                      what + " " + path + ": " + describe_errno(err));
}

class PosixSink final : public FileSink {
public:
    PosixSink(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    ~PosixSink() override {
        if (fd_ >= 0) ::close(fd_);
    }
    Status write(const char* data, size_t size) override {
        while (size > 0) {
            ssize_t n = ::write(fd_, data, size);
            if (n < 0) {
                if (errno == EINTR) continue;
                return io_error("cannot write", path_, errno);
            }
            data += n;
            size -= static_cast<size_t>(n);
        }
        return {};
    }
    Status sync() override {
        if (::fsync(fd_) != 0) return io_error("cannot fsync", path_, errno);
        return {};
    }
    Status close() override {
        int fd = fd_;
        fd_ = -1;
        if (fd >= 0 && ::close(fd) != 0) return io_error("cannot close", path_, errno);
        return {};
    }

private:
    int fd_;
    std::string path_;
};

}  // namespace

std::string describe_errno(int err) {
    switch (err) {
    case ENOSPC:
        return "the disk is full";
    case EDQUOT:
        return "the disk quota is exhausted";
    case EACCES:
    case EPERM:
        return "permission denied";
    case ENOENT:
        return "no such file or directory";
    case EROFS:
        return "the file system is read-only";
    case EIO:
        return "input/output error (failing disk or USB stick?)";
    default:
        return std::strerror(err);
    }
}

Result<uint64_t> file_size(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return io_error("cannot read", path, errno);
    if (!S_ISREG(st.st_mode)) return make_error("io", path + " is not a regular file");
    return static_cast<uint64_t>(st.st_size);
}

Result<std::string> read_file(const std::string& path, uint64_t max_bytes) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return io_error("cannot open", path, errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return io_error("cannot read", path, errno);
    if (!S_ISREG(st.st_mode)) return make_error("io", path + " is not a regular file");
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
        return make_error("too_large", path + " is " + std::to_string(st.st_size) +
                                           " bytes, more than the limit of " +
                                           std::to_string(max_bytes));
    }
    std::string data;
    data.reserve(static_cast<size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_error("cannot read", path, errno);
        }
        if (n == 0) break;
        data.append(buf, static_cast<size_t>(n));
        if (data.size() > max_bytes) return make_error("too_large", path + " grew while reading");
    }
    return data;
}

Result<std::string> read_prefix(const std::string& path, size_t n) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return io_error("cannot open", path, errno);
    std::string data(n, '\0');
    size_t got = 0;
    while (got < n) {
        ssize_t r = ::read(fd.get(), data.data() + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            return io_error("cannot read", path, errno);
        }
        if (r == 0) break;
        got += static_cast<size_t>(r);
    }
    data.resize(got);
    return data;
}

Result<std::unique_ptr<FileSink>> open_posix_sink(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return io_error("cannot create", path, errno);
    return std::unique_ptr<FileSink>(new PosixSink(fd, path));
}

Status copy_into(const std::string& src, FileSink& sink, uint64_t max_bytes) {
    return copy_into(src, sink, max_bytes, ChunkObserver());
}

Status read_chunks(const std::string& path, uint64_t max_bytes, const ChunkReader& chunk) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return io_error("cannot open", path, errno);
    std::vector<char> buf(1 << 20);
    uint64_t total = 0;
    for (;;) {
        ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_error("cannot read", path, errno);
        }
        if (n == 0) return {};
        total += static_cast<uint64_t>(n);
        if (total > max_bytes) {
            return make_error("too_large", path + " is larger than the limit of " +
                                               std::to_string(max_bytes) + " bytes");
        }
        KIOSK_TRY(chunk(buf.data(), static_cast<size_t>(n)));
    }
}

Status copy_into(const std::string& src, FileSink& sink, uint64_t max_bytes,
                 const ChunkObserver& observe) {
    KIOSK_TRY(read_chunks(src, max_bytes, [&](const char* data, size_t size) -> Status {
        std::future<void> observed;
        if (observe) {
            try {
                observed = std::async(std::launch::async, [&] { observe(data, size); });
            } catch (const std::system_error&) {
                observe(data, size);  // no thread to be had: observe in line
            }
        }
        Status written = sink.write(data, size);
        if (observed.valid()) observed.wait();  // the buffer is reused by the next read
        return written;
    }));
    KIOSK_TRY(sink.sync());
    return sink.close();
}

Status write_file_atomic(const std::string& path, const std::string& data) {
    std::string tmp = path + ".tmp";
    auto sink = open_posix_sink(tmp);
    if (!sink) return sink.error();
    Status st = (*sink)->write(data.data(), data.size());
    if (st) st = (*sink)->sync();
    if (st) st = (*sink)->close();
    if (!st) {
        ::unlink(tmp.c_str());
        return st;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return io_error("cannot rename onto", path, err);
    }
    auto slash = path.find_last_of('/');
    return sync_directory(slash == std::string::npos ? "." : path.substr(0, slash));
}

Status sync_file(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return io_error("cannot open", path, errno);
    if (::fsync(fd.get()) != 0) return io_error("cannot fsync", path, errno);
    return {};
}

Status sync_directory(const std::string& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return io_error("cannot open directory", dir, errno);
    if (::fsync(fd.get()) != 0) return io_error("cannot fsync directory", dir, errno);
    return {};
}

Result<uint64_t> free_disk_bytes(const std::string& path) {
    struct statvfs vfs {};
    if (::statvfs(path.c_str(), &vfs) != 0)
        return io_error("cannot stat filesystem of", path, errno);
    return static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

}  // namespace kiosk::util
