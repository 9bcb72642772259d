// Errors as values: Result<T> holds a T or an Error{code, message}; no exception crosses a module.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kiosk {

// code: a short stable word for tests and logs ("signature", "expired", "io");
// message: one sentence a technician can act on.
struct Error {
    std::string code;
    std::string message;
};

inline Error make_error(std::string code, std::string message) {
    return Error{std::move(code), std::move(message)};
}

template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace kiosk

// Propagates an error from an expression returning Result<...>/Status.
#define KIOSK_TRY(expr)                                                                            \
    do {                                                                                           \
        auto&& kiosk_try_r_ = (expr);                                                              \
        if (!kiosk_try_r_.ok()) return kiosk_try_r_.error();                                       \
    } while (0)
