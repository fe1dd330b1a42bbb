// The store's reference data: one RegistrySnapshot per load, made from the last commit, and each
// thread's own pointer to it (so that requests on several threads share no lock and no reference count).
#include "store.hpp"

#include <tuple>

#include "onshi/store/store_connections.hpp"

namespace mynasim::onshi {

namespace {

// The reference data this thread last used, of which store and which load. It keeps that snapshot alive
// until the thread next reads reference data (or ends): after a load, an idle thread holds the old one.
struct ReferenceOnThisThread {
    std::uint64_t store = 0, version = 0;
    std::shared_ptr<const RegistrySnapshot> reference;
};
thread_local ReferenceOnThisThread reference_on_this_thread;

}  // namespace

void Store::forget_reference() {
    {
        std::lock_guard lock(reference_mutex_);
        reference_.reset();
        ++reference_version_;
    }
    std::unique_lock numbers(reference_numbers_mutex_);  // load() and generate() replace them too
    reference_numbers_.reset();
    reference_numbers_any_ = true;
}

const RegistrySnapshot& Store::current_reference() {
    auto& mine = reference_on_this_thread;
    if (mine.store != id_ || mine.version != reference_version_.load()) {
        std::tie(mine.reference, mine.version) = versioned_reference();
        mine.store = id_;
    }
    return *mine.reference;
}

std::shared_ptr<const RegistrySnapshot> Store::reference() { return versioned_reference().first; }

std::pair<std::shared_ptr<const RegistrySnapshot>, std::uint64_t> Store::versioned_reference() {
    if (readers_allowed_) {
        std::lock_guard lock(reference_mutex_);
        // A connection of its own: it reads the last commit (a reader's older snapshot would be kept as
        // current), and without the memory map, so that reading every page once does not stay in the RSS.
        if (!reference_) {
            sql::Database db(path_);
            db.exec("PRAGMA query_only = 1; PRAGMA mmap_size = 0;");
            reference_ = std::make_shared<const RegistrySnapshot>(RegistrySnapshot::read(db));
        }
        return {reference_, reference_version_.load()};
    }
    // In memory, the writer is the only connection: taken before this mutex, as a unit holding it would.
    auto use = reading();
    std::lock_guard lock(reference_mutex_);
    if (!reference_) reference_ = std::make_shared<const RegistrySnapshot>(RegistrySnapshot::read(use.db()));
    return {reference_, reference_version_.load()};
}

}  // namespace mynasim::onshi
