#pragma once
// The store's reference data in memory: insurers, persons and their qualification histories, read once
// from SQLite and never changed (a new dataset makes a new snapshot). Confirmations read these on every
// request; served from SQLite, its B-tree seeks over a million persons cost more than the whole rest of a
// request, so the store keeps this read-only copy and answers its reads of reference data from it.
// SQLite stays the durable store and the only place anything is written.
//
// Compact: one person is one record in one buffer (its fields, then its history's, each length-prefixed),
// about 150 bytes for a synthetic person, plus two open-addressing hash tables of 8-byte slots (by person
// id and by insurance card) pointing at records; on huge pages where the kernel offers them. Every lookup
// costs the same for any person: there is no cache to warm.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/store/dataset.hpp"
#include "onshi/store/huge_page_allocator.hpp"
#include "onshi/store/sqlite.hpp"

namespace mynasim::onshi {

// Who holds an insurance card (保険証 path): the person and their whole qualification history.
struct CardHolder {
    Person person;  // without certificates' history and without the registration flag
    std::vector<Qualification> history;
};

class RegistrySnapshot {
public:
    // Reads insurers, persons and qualifications from `db` (in one read transaction of its own, unless
    // the caller has one open). Throws sql::Error.
    static RegistrySnapshot read(sql::Database& db);

    std::size_t person_count() const { return person_count_; }
    // Person fields only (no certificates, registration flag or history).
    std::optional<Person> person(std::string_view id) const;
    // The person's history in date order (then in the dataset's order), insurer names filled in; empty
    // for an unknown person.
    std::vector<Qualification> qualifications(std::string_view id) const;
    // The holder of the card with that birth date (the first in id order, should several hold it); an empty
    // birth date: whoever holds it (the 薬剤/特定健診 files ask by the card alone).
    std::optional<CardHolder> card_holder(std::string_view insurer, std::string_view symbol, std::string_view number,
                                          std::string_view branch, std::string_view birth_date) const;
    std::string insurer_name(std::string_view number) const;  // empty when unknown
    // Bytes held (records and tables), for the benchmark's figures.
    std::size_t memory_bytes() const;

private:
    // Open addressing with linear probing; a slot holds part of the key's hash (to skip most records
    // that are not the key's) and where the record starts + 1 (0: empty): a lookup reads the slot, then
    // the record, nothing in between.
    class HashIndex {
    public:
        void reserve(std::size_t keys);
        void insert(std::uint64_t hash, std::uint32_t offset);
        // Calls `visit(offset)` for every record stored under a hash equal to `hash`.
        template <typename Visit>
        void for_each(std::uint64_t hash, Visit visit) const {
            if (slots_.empty()) return;
            const auto tag = static_cast<std::uint32_t>(hash >> 32);
            for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
                const Slot& s = slots_[i];
                if (s.offset_plus_one == 0) return;
                if (s.tag == tag) visit(s.offset_plus_one - 1);
            }
        }
        std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

    private:
        struct Slot {
            std::uint32_t tag = 0;
            std::uint32_t offset_plus_one = 0;
        };
        std::vector<Slot, HugePageAllocator<Slot>> slots_;
        std::size_t mask_ = 0;
    };

    class Record;  // reads one person's record

    Record record(std::uint32_t offset) const;
    static Person read_person(Record& r);
    std::optional<std::uint32_t> find_person(std::string_view id) const;
    void add_qualifications(const Record& record, std::vector<Qualification>& out) const;

    // Persons' records in key order (= id order): a lower offset is a person earlier in id order.
    std::vector<char, HugePageAllocator<char>> records_;
    std::size_t person_count_ = 0;
    HashIndex by_id_, by_card_;
    std::map<std::string, std::string, std::less<>> insurer_names_;  // tens of insurers; looked up by string_view
};

}  // namespace mynasim::onshi
