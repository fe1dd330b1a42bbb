#include "sqlite.hpp"

namespace mynasim::onshi::sql {

Database::Database(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
}

Database::~Database() {
    cached_.clear();
    for (auto& [sql, statement] : fixed_) sqlite3_finalize(statement);
    sqlite3_close(db_);
}

int Database::run_fixed(const char* sql) {
    sqlite3_stmt*& statement = fixed_[sql];
    if (!statement && sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) fail(std::string("preparing ") + sql);
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

Database::Borrowed::~Borrowed() { s_.reset(); }

Database::Borrowed Database::cached(const char* sql) {
    auto& statement = cached_[sql];
    if (!statement) statement = std::make_unique<Statement>(*this, sql);
    return Borrowed(*statement);
}

void Database::fail(const std::string& what) const { throw Error(what + ": " + sqlite3_errmsg(db_)); }

void Database::exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error("SQL failed: " + text);
    }
}

Statement::Statement(Database& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &statement_, nullptr) != SQLITE_OK) db.fail(std::string("preparing ") + sql);
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, const std::string& value) {
    if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_.fail("binding a value");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) db_.fail("binding a value");
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(statement_, index) != SQLITE_OK) db_.fail("binding a value");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail("running a statement");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

std::string Statement::text(int column) const { return std::string(view(column)); }

std::string_view Statement::view(int column) const {
    const auto* value = sqlite3_column_text(statement_, column);
    return value ? std::string_view(reinterpret_cast<const char*>(value), static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
                 : std::string_view();
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(statement_, column); }
bool Statement::is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

Transaction::Transaction(Database& db, Intent intent) : db_(db), nested_(sqlite3_get_autocommit(db.handle()) == 0) {
    const char* begin = nested_ ? "SAVEPOINT nested" : intent == Intent::Write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
    if (db_.run_fixed(begin) != SQLITE_DONE) db_.fail("beginning a transaction");
}

Transaction::~Transaction() {
    if (done_) return;
    if (nested_) {
        db_.run_fixed("ROLLBACK TO nested");
        db_.run_fixed("RELEASE nested");
    } else {
        db_.run_fixed("ROLLBACK");
    }
}

void Transaction::commit() {
    if (db_.run_fixed(nested_ ? "RELEASE nested" : "COMMIT") != SQLITE_DONE) db_.fail("committing");
    done_ = true;
}

}  // namespace mynasim::onshi::sql
