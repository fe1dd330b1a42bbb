#pragma once
// The server's store: SQLite in WAL mode. Tables: insurers, persons, certificates (serial -> person,
// status, renewal link), qualifications, registrations, medications, checkups, claims. Every write is
// one transaction, so a kill -9 leaves either the old or the new state.
//
// Thread-safe. A store file has one writer connection, used by one thread at a time (under a mutex), and
// reader connections, one per thread reading at that moment (kept in a pool): in WAL mode readers see the
// last commit and neither wait for the writer nor make it wait, so requests that only read run in
// parallel. A reader keeps its snapshot (its read transaction) from one loan to the next until a write
// happens: beginning one costs system calls (WAL shared-memory locks), more than a confirmation's query.
// Every write ends the idle readers' snapshots, and a reader lent during a write ends its own when it is
// given back, so no stale snapshot is ever lent out or holds the WAL back. Hence only this Store may write
// the file while it is open (another process may read it).
// A private in-memory store (":memory:") has the writer only: its calls take turns.
//
// Reference data (insurers, persons, qualifications) is read from a RegistrySnapshot, an in-memory copy
// made at the first read after opening or after load()/generate(); the rest (certificates, registrations,
// consents, medications, checkups, claims) from SQLite. Only load() and generate() write reference data.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "onshi/store/dataset.hpp"
#include "onshi/store/registry_snapshot.hpp"
#include "onshi/store/sqlite.hpp"

namespace mynasim::onshi {

struct CertificateRecord {
    std::string serial;
    std::string person_id;
    std::string status;   // active | revoked
    std::string renews;   // normalised serial or empty
};

// An insurance card on record (the bulk families that search by dates answer each person by it).
struct CardOnRecord {
    std::string insurer, symbol, number, branch, birth_date;
};
enum class RemoteConsentDate { Consent, Examination };

class Store {
    class Lease;   // a connection lent to one thread
    struct Reader;  // a reader connection and how recent its snapshot is

public:
    // Opens (creating the schema if needed) a store file; ":memory:" for a private in-memory store.
    explicit Store(const std::string& path);
    ~Store();

    // The calls this thread makes on this store while a Unit lives run in one transaction on one
    // connection: for a Read unit, a snapshot on a reader (its reads agree with one another; writes it
    // makes go to the writer, committed at once, and it does not see them; in memory, the writer's
    // transaction, committed with the unit); for a Write unit, the
    // writer's transaction, committed by commit(), rolled back otherwise. A unit nested in another on the
    // same store joins it.
    class Unit {
    public:
        enum class Kind { Read, Write };
        Unit(Store& store, Kind kind);
        ~Unit();
        Unit(const Unit&) = delete;
        Unit& operator=(const Unit&) = delete;
        void commit();

    private:
        friend class Store;
        Store& store_;
        Unit* outer_;                         // the thread's enclosing unit (on any store)
        std::unique_ptr<Lease> lease_;        // none when joining an enclosing unit, or before a read unit's first read
        sql::Database* db_;                   // null until a read unit's first read
        sql::Database& connection();          // db_, lent now if not yet
        std::optional<sql::Transaction> transaction_;
    };

    // Replaces the whole content by `data`, in one transaction.
    void load(const Dataset& data);
    // Writes `persons` deterministic synthetic persons (ids SYN-0000001…, serials 0x5000000…), in one
    // transaction, replacing the content. Names and numbers say they are synthetic.
    void generate(std::size_t persons, std::uint64_t seed = 1);

    std::size_t person_count();
    // The reference data now (made from the file when there is none yet); every reader keeps its own
    // until it lets go, whatever load() does meanwhile.
    std::shared_ptr<const RegistrySnapshot> reference();
    std::optional<Person> person(const std::string& id);  // with the registration flag, without certificates
    std::optional<CertificateRecord> certificate(const std::string& serial);  // serial as given (normalised here)
    std::vector<Qualification> qualifications(const std::string& person_id);
    // The holder of an insurance card (保険証 path) with that birth date (empty: any; the first in id order, should
    // several hold it) and their whole history: the card path's hot read, from the reference data.
    std::optional<CardHolder> card_holder(const std::string& insurer, const std::string& symbol, const std::string& number,
                                          const std::string& branch, const std::string& birth_date);
    bool registered(const std::string& person_id);
    std::string insurer_name(const std::string& number);  // empty when unknown
    // 初回登録: idempotent; returns true if this call registered the person.
    bool register_person(const std::string& person_id, const std::string& serial, const std::string& at);

    // Consent given at the reader for one visit (confirmation), per kind: 0 未確認, 1 同意, 2 不同意, 3 その他.
    struct Consent {
        std::string person_id;
        std::string pharmaceutical;
        std::string checkup;
        std::string refused;   // an error key: the viewing calls are refused for this visit whatever the consent
        std::string given_at;  // when (format_time), as record_consent was told; read back by consent()
    };
    void record_consent(const std::string& confirmation_id, const std::string& person_id, const Consent& consent,
                        const std::string& at);
    std::optional<Consent> consent(const std::string& confirmation_id);
    // The person's latest visit's consent (the 薬剤/特定健診 files ask by the card, not by the visit).
    std::optional<Consent> latest_consent(const std::string& person_id);
    std::vector<Medication> medications(const std::string& person_id);
    std::vector<Checkup> checkups(const std::string& person_id);
    struct ClaimRecord {
        Claim claim;
        std::string person_id;
    };
    std::optional<ClaimRecord> claim(const std::string& id);

    // 照会番号 (the number an institution gives a person, shown in its later answers): the person's at the
    // institution, or "" (from memory: every confirmation asks). Registering replaces the person's number;
    // a number another person holds there is refused (Taken).
    std::string reference_number(const std::string& institution, const std::string& person_id);
    enum class ReferenceOutcome { Registered, Taken };
    ReferenceOutcome register_reference_number(const std::string& institution, const std::string& person_id, const std::string& number,
                                               const std::string& at);

    // The bulk families by dates (in person id order, each person once): the 医療扶助 recipients with a
    // 医療券 of `month` (YYYYMM) for `institution`, by their 医療扶助 card; the persons with a remote consent of
    // `treatment` (2, 3) at `institution` whose consent (or an examination) falls in [from, to], by their
    // newest card.
    std::vector<CardOnRecord> medical_aid_cards(const std::string& month, const std::string& institution);
    std::vector<CardOnRecord> remote_consent_cards(const std::string& treatment, const std::string& institution, RemoteConsentDate by,
                                                   const std::string& from, const std::string& to);

private:
    // The connection one call runs on: its thread's unit's, or one lent for the call.
    class Access {
    public:
        Access(Store& store, bool write);
        ~Access();
        sql::Database& db() { return *db_; }

    private:
        std::unique_ptr<Lease> lease_;
        sql::Database* db_;
    };
    Access reading() { return Access(*this, false); }
    Access writing() { return Access(*this, true); }
    Unit* unit_on_this_thread();

    std::string path_;
    bool readers_allowed_;  // a file: readers of their own; in memory: the writer only
    sql::Database writer_;
    std::mutex write_mutex_;
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Reader>> idle_readers_;
    // Counts the writer's loans: a reader's snapshot taken at an older count may miss a write.
    std::atomic<std::uint64_t> writes_{0};
    std::mutex reference_mutex_;
    std::shared_ptr<const RegistrySnapshot> reference_;  // none until needed, and after a load
    // Counts loads; changed under reference_mutex_ with reference_, read without it by current_reference().
    std::atomic<std::uint64_t> reference_version_{0};
    const std::uint64_t id_;                            // unique among this process's stores
    void forget_reference();
    // 照会番号 by institution and person, read from SQLite at the first ask; `any` spares confirmations the lock
    // while none is registered.
    std::shared_mutex reference_numbers_mutex_;
    std::optional<std::unordered_map<std::string, std::string>> reference_numbers_;
    std::atomic<bool> reference_numbers_any_{true};  // unknown until read: true
    // The reference data for this thread's call: its own copy of the pointer (see store.cpp), so that
    // requests on several threads share no lock and no reference count.
    const RegistrySnapshot& current_reference();
    std::pair<std::shared_ptr<const RegistrySnapshot>, std::uint64_t> versioned_reference();
};

}  // namespace mynasim::onshi
