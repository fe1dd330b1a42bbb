#pragma once
// The store's connections (private to the store): a reader with its snapshot, and the lease that lends
// one thread the writer (under its mutex) or a reader from the pool. See store.hpp for the rules.
#include <memory>
#include <mutex>

#include "onshi/store/store.hpp"
#include "onshi/store/store_schema.hpp"

namespace mynasim::onshi {

struct Store::Reader {
    explicit Reader(const std::string& path) : db(path) { db.exec(store_schema::reader_settings); }
    // Makes sure a read transaction is open whose snapshot includes every write counted by `writes`.
    void current(std::uint64_t writes) {
        if (open && seen == writes) return;
        end();
        seen = writes;  // counted before the snapshot is taken (at the first read): never newer than it
        if (db.run_fixed("BEGIN DEFERRED") != SQLITE_DONE) db.fail("beginning a read");
        open = true;
    }
    void end() {
        if (open && db.run_fixed("COMMIT") != SQLITE_DONE) db.fail("ending a read");
        open = false;
    }
    sql::Database db;
    bool open = false;
    std::uint64_t seen = 0;
};

// The writer with its mutex held, or a reader from the pool (opened when none is idle) with a current snapshot.
class Store::Lease {
public:
    Lease(Store& store, bool write) : store_(store) {
        if (write || !store.readers_allowed_) {
            write_lock_ = std::unique_lock(store.write_mutex_);
            return;
        }
        {
            std::lock_guard lock(store.readers_mutex_);
            if (!store.idle_readers_.empty()) {
                reader_ = std::move(store.idle_readers_.back());
                store.idle_readers_.pop_back();
            }
        }
        if (!reader_) reader_ = std::make_unique<Reader>(store.path_);
        reader_->current(store.writes_.load());
    }
    ~Lease() {
        if (!reader_) {
            // Whatever the writer did is committed (or rolled back) now: idle snapshots are stale.
            if (!store_.readers_allowed_) return;
            ++store_.writes_;
            std::lock_guard lock(store_.readers_mutex_);
            std::erase_if(store_.idle_readers_, [](const auto& idle) { return !ended(*idle); });
            return;
        }
        if (reader_->seen != store_.writes_.load() && !ended(*reader_)) return;
        std::lock_guard lock(store_.readers_mutex_);
        store_.idle_readers_.push_back(std::move(reader_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sql::Database& db() { return reader_ ? reader_->db : store_.writer_; }
    bool on_reader() const { return reader_ != nullptr; }

private:
    // For destructors: false if the read could not be ended; that reader is then closed, not lent again.
    static bool ended(Reader& reader) noexcept {
        try {
            reader.end();
            return true;
        } catch (const sql::Error&) {
            return false;
        }
    }
    Store& store_;
    std::unique_lock<std::mutex> write_lock_;
    std::unique_ptr<Reader> reader_;
};

}  // namespace mynasim::onshi
