// A sink that runs out of space on purpose, for tests and the KIOSK_FAULT_DISK_FULL_AFTER seam.
#include "util/file_faults.hpp"

#include <memory>

namespace kiosk::util {

namespace {

class FillingSink final : public FileSink {
public:
    FillingSink(std::unique_ptr<FileSink> inner, std::shared_ptr<uint64_t> left, std::string path)
        : inner_(std::move(inner)), left_(std::move(left)), path_(std::move(path)) {}
    Status write(const char* data, size_t size) override {
        if (size > *left_) {
            if (*left_ > 0) KIOSK_TRY(inner_->write(data, static_cast<size_t>(*left_)));
            *left_ = 0;
            return make_error("disk_full", "cannot write " + path_ + ": the disk is full");
        }
        *left_ -= size;
        return inner_->write(data, size);
    }
    Status sync() override { return inner_->sync(); }
    Status close() override { return inner_->close(); }

private:
    std::unique_ptr<FileSink> inner_;
    std::shared_ptr<uint64_t> left_;
    std::string path_;
};

}  // namespace

OpenSink failing_after(OpenSink inner, uint64_t budget) {
    auto left = std::make_shared<uint64_t>(budget);
    return [inner = std::move(inner),
            left](const std::string& path) -> Result<std::unique_ptr<FileSink>> {
        auto sink = inner(path);
        if (!sink) return sink.error();
        return std::unique_ptr<FileSink>(new FillingSink(std::move(*sink), left, path));
    };
}

}  // namespace kiosk::util
