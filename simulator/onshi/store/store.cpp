#include "store.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "base/random_source.hpp"

namespace mynasim::onshi {

namespace {

constexpr const char* settings = R"SQL(
-- Speed for a million persons: WAL, so that readers run in parallel with one another and with the writer;
-- pages read through a memory map.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA mmap_size = 4294967296;
PRAGMA cache_size = -65536;
)SQL";

// The schema's version, in SQLite's user_version: 2 since persons have integer keys, 3 since cards are
// looked up in memory (no card index).
constexpr std::int64_t schema_version = 3;

constexpr const char* schema = R"SQL(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS insurers (number TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
-- A person's public id is text; its key, in id order, is what the qualifications refer to: a
-- confirmation's seeks then compare integers.
CREATE TABLE IF NOT EXISTS persons (
    key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_kana TEXT NOT NULL, sex TEXT NOT NULL,
    birth_date TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS certificates (
    serial TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')), renews TEXT) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS certificates_by_person ON certificates(person_id);
-- Stored in the order a confirmation reads them: a person's history, in date order (then in the dataset's
-- order), in one place.
CREATE TABLE IF NOT EXISTS qualifications (
    person_key INTEGER NOT NULL REFERENCES persons(key), valid_from TEXT NOT NULL, id INTEGER NOT NULL,
    insurer TEXT NOT NULL REFERENCES insurers(number), symbol TEXT NOT NULL, number TEXT NOT NULL,
    branch TEXT NOT NULL, classification TEXT NOT NULL, personal_family TEXT NOT NULL,
    valid_to TEXT, qualification_date TEXT NOT NULL, contribution_ratio TEXT NOT NULL,
    PRIMARY KEY (person_key, valid_from, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS registrations (
    person_id TEXT PRIMARY KEY REFERENCES persons(id), serial TEXT NOT NULL, registered_at TEXT NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS medications (
    id INTEGER PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), dispensed_on TEXT NOT NULL,
    drug TEXT NOT NULL, quantity TEXT NOT NULL, institution TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkups (
    id INTEGER PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), examined_on TEXT NOT NULL,
    item TEXT NOT NULL, value TEXT NOT NULL, unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS consents (
    confirmation_id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id),
    pharmaceutical TEXT NOT NULL, checkup TEXT NOT NULL, given_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), insurer TEXT NOT NULL,
    care_date TEXT NOT NULL, points INTEGER NOT NULL) WITHOUT ROWID;

)SQL";

void clear(sql::Database& db) {
    db.exec("DELETE FROM consents; DELETE FROM claims; DELETE FROM checkups; DELETE FROM medications; DELETE FROM registrations;"
            "DELETE FROM qualifications; DELETE FROM certificates; DELETE FROM persons; DELETE FROM insurers;");
}

// Inserts shared by load() and generate().
// Persons must come in id order (their keys follow it).
struct Writer {
    explicit Writer(sql::Database& db)
        : database(db),
          insurer(db, "INSERT INTO insurers VALUES (?, ?)"),
          person(db, "INSERT INTO persons (id, name, name_kana, sex, birth_date) VALUES (?, ?, ?, ?, ?)"),
          certificate(db, "INSERT INTO certificates VALUES (?, ?, ?, ?)"),
          qualification(db, "INSERT INTO qualifications (person_key, id, insurer, symbol, number, branch, classification,"
                            " personal_family, valid_from, valid_to, qualification_date, contribution_ratio)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
          registration(db, "INSERT INTO registrations VALUES (?, ?, ?)"),
          medication(db, "INSERT INTO medications (person_id, dispensed_on, drug, quantity, institution) VALUES (?, ?, ?, ?, ?)"),
          checkup(db, "INSERT INTO checkups (person_id, examined_on, item, value, unit) VALUES (?, ?, ?, ?, ?)"),
          claim(db, "INSERT INTO claims VALUES (?, ?, ?, ?, ?)") {}

    void add(const Person& p) {
        person.bind(1, p.id).bind(2, p.name).bind(3, p.name_kana).bind(4, p.sex).bind(5, p.birth_date).run();
        const std::int64_t key = sqlite3_last_insert_rowid(database.handle());
        for (const auto& c : p.certificates) {
            certificate.bind(1, c.serial).bind(2, p.id).bind(3, c.status);
            if (c.renews.empty()) certificate.bind_null(4);
            else certificate.bind(4, c.renews);
            certificate.run();
        }
        for (const auto& q : p.qualifications) {
            qualification.bind(1, key).bind(2, ++qualification_id).bind(3, q.insurer).bind(4, q.symbol).bind(5, q.number)
                .bind(6, q.branch).bind(7, q.classification).bind(8, q.personal_family).bind(9, q.valid_from);
            if (q.valid_to.empty()) qualification.bind_null(10);
            else qualification.bind(10, q.valid_to);
            qualification.bind(11, q.qualification_date).bind(12, q.contribution_ratio).run();
        }
        if (p.registered && !p.certificates.empty())
            registration.bind(1, p.id).bind(2, p.certificates.front().serial).bind(3, "dataset").run();
        for (const auto& m : p.medications)
            medication.bind(1, p.id).bind(2, m.dispensed_on).bind(3, m.drug).bind(4, m.quantity).bind(5, m.institution).run();
        for (const auto& c : p.checkups)
            checkup.bind(1, p.id).bind(2, c.examined_on).bind(3, c.item).bind(4, c.value).bind(5, c.unit).run();
        for (const auto& c : p.claims)
            claim.bind(1, c.id).bind(2, p.id).bind(3, c.insurer).bind(4, c.care_date).bind(5, static_cast<std::int64_t>(c.points)).run();
    }

    sql::Database& database;
    std::int64_t qualification_id = 0;  // the dataset's order: ties of a history's dates keep it
    sql::Statement insurer, person, certificate, qualification, registration, medication, checkup, claim;
};

// Readers only read (a bug that writes through one fails instead of bypassing the writer's mutex).
constexpr const char* reader_settings = "PRAGMA query_only = 1; PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536;";

// The innermost unit of this thread, whatever its store.
thread_local Store::Unit* innermost_unit = nullptr;

std::atomic<std::uint64_t> next_store_id{1};

// The reference data this thread last used, of which store and which load. It keeps that snapshot alive
// until the thread next reads reference data (or ends): after a load, an idle thread holds the old one.
struct ReferenceOnThisThread {
    std::uint64_t store = 0, version = 0;
    std::shared_ptr<const RegistrySnapshot> reference;
};
thread_local ReferenceOnThisThread reference_on_this_thread;

}  // namespace

struct Store::Reader {
    explicit Reader(const std::string& path) : db(path) { db.exec(reader_settings); }
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

Store::Store(const std::string& path)
    : path_(path), readers_allowed_(!path.empty() && path != ":memory:"), writer_(path), id_(next_store_id++) {
    writer_.exec(settings);
    sql::Statement version(writer_, "PRAGMA user_version");
    version.step();
    const std::int64_t found = version.integer(0);
    version.reset();
    sql::Statement tables(writer_, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'persons'");
    tables.step();
    if (found != schema_version && tables.integer(0) != 0)
        throw sql::Error(path + ": a store of another format (version " + std::to_string(found) + ", this mynasim reads " +
                         std::to_string(schema_version) + "); make it again: `mynasim server gen`, or `server run --data FILE.yaml --store`");
    writer_.exec(schema);
    writer_.exec("PRAGMA user_version = " + std::to_string(schema_version));
}

Store::~Store() = default;

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

void Store::load(const Dataset& data) {
    {
        auto use = writing();
        sql::Transaction transaction(use.db());
        clear(use.db());
        Writer writer(use.db());
        for (const auto& i : data.insurers) writer.insurer.bind(1, i.number).bind(2, i.name).run();
        std::vector<const Person*> in_id_order;
        for (const auto& p : data.persons) in_id_order.push_back(&p);
        std::sort(in_id_order.begin(), in_id_order.end(), [](const Person* a, const Person* b) { return a->id < b->id; });
        for (const Person* p : in_id_order) writer.add(*p);
        transaction.commit();
    }
    // With the writer given back: in memory, reference() takes it.
    forget_reference();
}

void Store::generate(std::size_t persons, std::uint64_t seed) {
    {
        auto use = writing();
        sql::Transaction transaction(use.db());
        clear(use.db());
        Writer writer(use.db());
        constexpr int insurer_count = 50;
        for (int i = 0; i < insurer_count; ++i) {
            char number[32];
            std::snprintf(number, sizeof number, "%08d", 6900000 + i);
            writer.insurer.bind(1, std::string(number)).bind(2, "SYNTHETIC 健康保険組合 " + std::to_string(i)).run();
        }
        std::uint64_t state = seed;
        static const char* kana[] = {"ｱ", "ｲ", "ｳ", "ｴ", "ｵ", "ｶ", "ｷ", "ｸ", "ｹ", "ｺ", "ｻ", "ｼ", "ｽ", "ｾ", "ｿ"};
        for (std::size_t n = 0; n < persons; ++n) {
            const std::uint64_t r = splitmix64(state);
            char id[32], serial[32], birth[32], number[32], insurer[32];
            std::snprintf(id, sizeof id, "SYN-%07zu", n + 1);
            std::snprintf(serial, sizeof serial, "%llX", static_cast<unsigned long long>(0x5000000ULL + n));
            std::snprintf(birth, sizeof birth, "%04d%02d%02d", static_cast<int>(1930 + r % 90), static_cast<int>(1 + (r >> 8) % 12),
                          static_cast<int>(1 + (r >> 16) % 28));
            std::snprintf(number, sizeof number, "%zu", 100000 + n);
            std::snprintf(insurer, sizeof insurer, "%08d", static_cast<int>(6900000 + (r >> 24) % insurer_count));
            Person p;
            p.id = id;
            p.name = "SYNTHETIC 被保険者 " + std::to_string(n + 1);
            p.name_kana = std::string("ｼﾝｾｲ ") + kana[(r >> 32) % 15] + kana[(r >> 36) % 15];
            p.sex = (r >> 40) % 2 ? "1" : "2";
            p.birth_date = birth;
            p.registered = (r >> 44) % 10 != 0;  // 90 % registered
            p.certificates.push_back(Certificate{serial, "active", ""});
            Qualification q;
            q.insurer = insurer;
            q.symbol = "SYN" + std::to_string((r >> 48) % 100);
            q.number = number;
            q.branch = "00";
            q.valid_from = "20200401";
            q.qualification_date = q.valid_from;
            p.qualifications.push_back(q);
            writer.add(p);
        }
        transaction.commit();
    }
    // With the writer given back: in memory, reference() takes it.
    forget_reference();
}

void Store::forget_reference() {
    std::lock_guard lock(reference_mutex_);
    reference_.reset();
    ++reference_version_;
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

std::size_t Store::person_count() { return current_reference().person_count(); }

std::optional<Person> Store::person(const std::string& id) {
    auto p = current_reference().person(id);
    if (p) p->registered = registered(id);
    return p;
}

std::optional<CertificateRecord> Store::certificate(const std::string& serial) {
    const auto normal = normalise_serial(serial);
    if (!normal) return std::nullopt;
    auto use = reading();
    auto query = use.db().cached("SELECT serial, person_id, status, renews FROM certificates WHERE serial = ?");
    query->bind(1, *normal);
    if (!query->step()) return std::nullopt;
    return CertificateRecord{query->text(0), query->text(1), query->text(2), query->is_null(3) ? "" : query->text(3)};
}

std::vector<Qualification> Store::qualifications(const std::string& person_id) {
    return current_reference().qualifications(person_id);
}

std::optional<CardHolder> Store::card_holder(const std::string& insurer, const std::string& symbol,
                                             const std::string& number, const std::string& branch,
                                             const std::string& birth_date) {
    return current_reference().card_holder(insurer, symbol, number, branch, birth_date);
}

bool Store::registered(const std::string& person_id) {
    auto use = reading();
    auto query = use.db().cached("SELECT 1 FROM registrations WHERE person_id = ?");
    query->bind(1, person_id);
    return query->step();
}

void Store::record_consent(const std::string& confirmation_id, const std::string& person_id, const Consent& consent,
                           const std::string& at) {
    auto use = writing();
    sql::Statement insert(use.db(), "INSERT OR REPLACE INTO consents VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, confirmation_id).bind(2, person_id).bind(3, consent.pharmaceutical).bind(4, consent.checkup).bind(5, at);
    insert.run();  // one statement: its own transaction
}

std::optional<Store::Consent> Store::consent(const std::string& confirmation_id) {
    auto use = reading();
    auto query = use.db().cached("SELECT person_id, pharmaceutical, checkup FROM consents WHERE confirmation_id = ?");
    query->bind(1, confirmation_id);
    if (!query->step()) return std::nullopt;
    return Consent{query->text(0), query->text(1), query->text(2)};
}

std::vector<Medication> Store::medications(const std::string& person_id) {
    auto use = reading();
    auto query = use.db().cached("SELECT dispensed_on, drug, quantity, institution FROM medications WHERE person_id = ?"
                              " ORDER BY dispensed_on, id");
    query->bind(1, person_id);
    std::vector<Medication> out;
    while (query->step()) out.push_back(Medication{query->text(0), query->text(1), query->text(2), query->text(3)});
    return out;
}

std::vector<Checkup> Store::checkups(const std::string& person_id) {
    auto use = reading();
    auto query = use.db().cached("SELECT examined_on, item, value, unit FROM checkups WHERE person_id = ? ORDER BY examined_on, id");
    query->bind(1, person_id);
    std::vector<Checkup> out;
    while (query->step()) out.push_back(Checkup{query->text(0), query->text(1), query->text(2), query->text(3)});
    return out;
}

std::optional<Store::ClaimRecord> Store::claim(const std::string& id) {
    auto use = reading();
    auto query = use.db().cached("SELECT id, insurer, care_date, points, person_id FROM claims WHERE id = ?");
    query->bind(1, id);
    if (!query->step()) return std::nullopt;
    return ClaimRecord{Claim{query->text(0), query->text(1), query->text(2), query->integer(3)}, query->text(4)};
}

std::string Store::insurer_name(const std::string& number) { return current_reference().insurer_name(number); }

bool Store::register_person(const std::string& person_id, const std::string& serial, const std::string& at) {
    auto use = writing();
    sql::Transaction transaction(use.db());
    sql::Statement insert(use.db(), "INSERT OR IGNORE INTO registrations VALUES (?, ?, ?)");
    insert.bind(1, person_id).bind(2, serial).bind(3, at);
    insert.run();
    const bool added = sqlite3_changes(use.db().handle()) > 0;
    transaction.commit();
    return added;
}

}  // namespace mynasim::onshi
