#pragma once
// The server's store: SQLite in WAL mode. Tables: insurers, persons, certificates (serial -> person,
// status, renewal link), qualifications, registrations, medications, checkups, claims. Every write is
// one transaction, so a kill -9 leaves either the old or the new state.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onshi/dataset.hpp"
#include "onshi/sqlite.hpp"

namespace mynasim::onshi {

// Who holds an insurance card (保険証 path): the person and their whole qualification history.
struct CardHolder {
    Person person;  // without certificates' history and without the registration flag
    std::vector<Qualification> history;
};

struct CertificateRecord {
    std::string serial;
    std::string person_id;
    std::string status;   // active | revoked
    std::string renews;   // normalised serial or empty
};

class Store {
public:
    // Opens (creating the schema if needed) a store file; ":memory:" for a private in-memory store.
    explicit Store(const std::string& path);

    // Replaces the whole content by `data`, in one transaction.
    void load(const Dataset& data);
    // Writes `persons` deterministic synthetic persons (ids SYN-0000001…, serials 0x5000000…), in one
    // transaction, replacing the content. Names and numbers say they are synthetic.
    void generate(std::size_t persons, std::uint64_t seed = 1);

    std::size_t person_count();
    std::optional<Person> person(const std::string& id);              // without certificates' history
    std::optional<CertificateRecord> certificate(const std::string& serial);  // serial as given (normalised here)
    std::vector<Qualification> qualifications(const std::string& person_id);
    // Persons holding the qualification of an insurance card (保険証 path), with that birth date.
    std::vector<std::string> persons_by_card(const std::string& insurer, const std::string& symbol,
                                             const std::string& number, const std::string& branch,
                                             const std::string& birth_date);
    // The first of those persons (in id order) with their history, in one query: the card path's hot read.
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
    };
    void record_consent(const std::string& confirmation_id, const std::string& person_id, const Consent& consent,
                        const std::string& at);
    std::optional<Consent> consent(const std::string& confirmation_id);
    std::vector<Medication> medications(const std::string& person_id);
    std::vector<Checkup> checkups(const std::string& person_id);
    struct ClaimRecord {
        Claim claim;
        std::string person_id;
    };
    std::optional<ClaimRecord> claim(const std::string& id);

    sql::Database& database() { return db_; }

private:
    // A statement prepared once per store (preparing costs more than most of our queries), lent out
    // for one query and reset when the loan ends, so no read transaction stays open.
    class Borrowed {
    public:
        explicit Borrowed(sql::Statement& s) : s_(s) {}
        ~Borrowed() { s_.reset(); }
        Borrowed(const Borrowed&) = delete;
        Borrowed& operator=(const Borrowed&) = delete;
        sql::Statement* operator->() { return &s_; }
        sql::Statement& operator*() { return s_; }

    private:
        sql::Statement& s_;
    };
    Borrowed cached(const char* sql);
    sql::Database db_;
    std::map<const char*, std::unique_ptr<sql::Statement>> statements_;
};

}  // namespace mynasim::onshi
