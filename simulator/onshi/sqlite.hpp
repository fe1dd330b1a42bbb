#pragma once
// A thin RAII layer over SQLite's C API: one database handle, prepared statements, transactions.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

namespace mynasim::onshi::sql {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Database {
public:
    explicit Database(const std::string& path);  // creates the file if needed
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    void exec(const std::string& sql);
    sqlite3* handle() const { return db_; }
    [[noreturn]] void fail(const std::string& what) const;

private:
    sqlite3* db_ = nullptr;
};

class Statement {
public:
    Statement(Database& db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);
    bool step();  // true: a row is ready
    void run();   // step to completion, then reset for reuse
    void reset();
    std::string text(int column) const;
    std::int64_t integer(int column) const;
    bool is_null(int column) const;

private:
    Database& db_;
    sqlite3_stmt* statement_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed (a crash leaves the old state: SQLite's journal).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace mynasim::onshi::sql
