// RAII handles for SQLite connections and statements, returning Result instead of raw codes.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kiosk::store {

class Statement;

// One connection; closed on destruction. Not thread-safe: one per thread.
class Database {
public:
    Database() = default;
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // flags: SQLITE_OPEN_READONLY, or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE.
    static Result<Database> open(const std::string& path, int flags);

    sqlite3* handle() const { return db_; }
    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    std::string last_error() const;

private:
    explicit Database(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

// A prepared statement; finalized on destruction. Bind indexes start at 1, columns at 0.
class Statement {
public:
    Statement() = default;
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, double value);
    Statement& bind_blob(int index, const void* data, size_t size);
    Statement& bind_null(int index);

    // True while a row is available; false at the end or on error (then error() says why).
    bool step();
    // Runs a statement that returns no rows.
    Status run();
    void reset();

    std::string text(int column) const;
    int64_t integer(int column) const;
    double real(int column) const;
    std::string blob(int column) const;
    bool is_null(int column) const;

    const Error* error() const { return failed_ ? &error_ : nullptr; }
    sqlite3_stmt* handle() const { return stmt_; }

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_ = nullptr;
    bool failed_ = false;
    Error error_;
};

}  // namespace kiosk::store
