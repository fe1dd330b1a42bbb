#include "store_connections.hpp"

#include <stdexcept>

namespace mynasim::onshi {

namespace {

// The innermost unit of this thread, whatever its store.
thread_local Store::Unit* innermost_unit = nullptr;

}  // namespace

Store::Unit* Store::unit_on_this_thread() {
    for (Unit* u = innermost_unit; u; u = u->outer_)
        if (&u->store_ == this) return u;
    return nullptr;
}

Store::Unit::Unit(Store& store, Kind kind) : store_(store), outer_(innermost_unit) {
    if (Unit* enclosing = store.unit_on_this_thread()) {
        if (kind == Kind::Write && enclosing->db_ != &store.writer_)
            throw std::logic_error("a write unit cannot join a read unit on a reader");
        db_ = &enclosing->connection();
    } else if (kind == Kind::Read && store.readers_allowed_) {
        // A reader is lent at the first read (its snapshot begins there, as a deferred transaction's
        // would): a request that reads only reference data (memory) takes none.
        db_ = nullptr;
        innermost_unit = this;
        return;
    } else {
        lease_ = std::make_unique<Lease>(store, kind == Kind::Write);
        db_ = &lease_->db();
    }
    // A reader's lease already holds a snapshot; the writer (or a joined unit) needs a transaction.
    if (!lease_ || !lease_->on_reader())
        transaction_.emplace(*db_, kind == Kind::Write ? sql::Transaction::Intent::Write : sql::Transaction::Intent::Read);
    innermost_unit = this;
}

Store::Unit::~Unit() { innermost_unit = outer_; }

sql::Database& Store::Unit::connection() {
    if (!db_) {
        lease_ = std::make_unique<Lease>(store_, false);
        db_ = &lease_->db();
    }
    return *db_;
}

void Store::Unit::commit() {
    if (transaction_) transaction_->commit();
}

Store::Access::Access(Store& store, bool write) {
    // A unit's connection serves its thread's calls, unless a write comes within a read unit on a reader.
    if (Unit* unit = store.unit_on_this_thread(); unit && (!write || unit->db_ == &store.writer_)) {
        db_ = &unit->connection();
        return;
    }
    lease_ = std::make_unique<Lease>(store, write);
    db_ = &lease_->db();
}

Store::Access::~Access() = default;

}  // namespace mynasim::onshi
