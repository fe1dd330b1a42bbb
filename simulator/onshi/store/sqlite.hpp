#pragma once
// A thin RAII layer over SQLite's C API: one database handle, prepared statements, transactions.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace mynasim::onshi::sql {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Statement;

class Database {
public:
    explicit Database(const std::string& path);  // creates the file if needed
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    void exec(const std::string& sql);
    // One fixed statement (BEGIN, COMMIT…), prepared on first use and kept: run once per request, parsing
    // it each time would cost more than the queries. Returns SQLite's result code.
    int run_fixed(const char* sql);
    // A query prepared once per connection (preparing costs more than most of our queries), lent out
    // for one use and reset when the loan ends, so no read transaction stays open. `sql` is a literal:
    // its address is the key.
    class Borrowed {
    public:
        explicit Borrowed(Statement& s) : s_(s) {}
        ~Borrowed();
        Borrowed(const Borrowed&) = delete;
        Borrowed& operator=(const Borrowed&) = delete;
        Statement* operator->() { return &s_; }
        Statement& operator*() { return s_; }

    private:
        Statement& s_;
    };
    Borrowed cached(const char* sql);
    sqlite3* handle() const { return db_; }
    [[noreturn]] void fail(const std::string& what) const;

private:
    sqlite3* db_ = nullptr;
    std::map<std::string_view, sqlite3_stmt*> fixed_;
    std::map<const char*, std::unique_ptr<Statement>> cached_;
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
    std::string_view view(int column) const;  // NULL as empty; valid until the next step or reset
    std::int64_t integer(int column) const;
    bool is_null(int column) const;

private:
    Database& db_;
    sqlite3_stmt* statement_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed (a crash leaves the old state: SQLite's journal).
// Inside another transaction it is a savepoint: its commit keeps its changes for the outer commit.
// A transaction meant for reads begins DEFERRED: no write lock unless a write comes (which then takes it).
class Transaction {
public:
    enum class Intent { Write, Read };
    explicit Transaction(Database& db, Intent intent = Intent::Write);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool nested_ = false;
    bool done_ = false;
};

}  // namespace mynasim::onshi::sql
