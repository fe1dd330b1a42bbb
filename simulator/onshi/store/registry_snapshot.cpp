#include "registry_snapshot.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <stdexcept>

#include "base/random_source.hpp"
#include "onshi/store/record_details.hpp"

namespace mynasim::onshi {

namespace {

// Fields of a record: a person's, then how many qualifications, then each qualification's.
constexpr int person_fields = 6;         // id, name, name_kana, sex, birth_date, details (record_details.hpp)
constexpr int birth_date_field = 4;      // the card path's check, before the details
constexpr int qualification_fields = 11;  // as in Qualification, without the insurer's name, then details

using Buffer = std::vector<char, HugePageAllocator<char>>;

template <typename Out>
void append_length(Out& out, std::size_t n) {  // LEB128: one byte below 128
    while (n >= 0x80) {
        out.push_back(static_cast<char>((n & 0x7F) | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
}

template <typename Out>
void append_field(Out& out, std::string_view value) {
    append_length(out, value.size());
    out.insert(out.end(), value.begin(), value.end());
}

std::uint64_t id_hash(std::string_view id) { return mix64(std::hash<std::string_view>{}(id)); }

std::uint64_t card_hash(std::string_view insurer, std::string_view symbol, std::string_view number, std::string_view branch) {
    std::uint64_t h = 0;
    for (const auto part : {insurer, symbol, number, branch}) h = mix64(h ^ std::hash<std::string_view>{}(part));
    return h;
}

}  // namespace

// A cursor over one record: fields are read in their order.
class RegistrySnapshot::Record {
public:
    explicit Record(const char* at) : at_(at) {}
    std::string_view field() {
        const std::size_t n = length();
        const std::string_view value(at_, n);
        at_ += n;
        return value;
    }
    std::size_t length() {
        std::size_t n = 0;
        for (int shift = 0;; shift += 7) {
            const auto byte = static_cast<unsigned char>(*at_++);
            n |= static_cast<std::size_t>(byte & 0x7F) << shift;
            if (!(byte & 0x80)) return n;
        }
    }

private:
    const char* at_;
};

void RegistrySnapshot::HashIndex::reserve(std::size_t keys) {
    const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, keys * 2));  // at most half full
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
}

void RegistrySnapshot::HashIndex::insert(std::uint64_t hash, std::uint32_t offset) {
    for (std::size_t i = hash & mask_, probes = 0; probes <= mask_; i = (i + 1) & mask_, ++probes)
        if (slots_[i].offset_plus_one == 0) {
            slots_[i] = Slot{static_cast<std::uint32_t>(hash >> 32), offset + 1};
            return;
        }
    throw std::logic_error("registry snapshot: hash index full");  // reserve() was given too few keys
}

RegistrySnapshot RegistrySnapshot::read(sql::Database& db) {
    sql::Transaction transaction(db, sql::Transaction::Intent::Read);  // one consistent view of the three tables
    RegistrySnapshot s;
    {
        sql::Statement insurers(db, "SELECT number, name FROM insurers");
        while (insurers.step()) s.insurer_names_.emplace(insurers.text(0), insurers.text(1));
    }
    sql::Statement counts(db, "SELECT (SELECT COUNT(*) FROM persons), (SELECT COUNT(*) FROM qualifications)");
    counts.step();
    const auto persons = static_cast<std::size_t>(counts.integer(0));
    s.person_count_ = persons;
    s.by_id_.reserve(persons);
    s.by_card_.reserve(static_cast<std::size_t>(counts.integer(1)));

    sql::Statement person(db, "SELECT key, id, name, name_kana, sex, birth_date, details FROM persons ORDER BY key");
    // The primary key's order: by person, then by date, then in the dataset's order.
    sql::Statement qualification(db, "SELECT person_key, insurer, symbol, number, branch, classification, personal_family,"
                                     " valid_from, valid_to, qualification_date, contribution_ratio, details FROM qualifications"
                                     " ORDER BY person_key, valid_from, id");
    bool more_qualifications = qualification.step();
    std::string history;
    std::vector<std::uint64_t> cards;  // of this person, each indexed once
    while (person.step()) {
        const std::int64_t key = person.integer(0);
        // Offsets are 32 bits: 4 GiB of records, some 25 million persons.
        if (s.records_.size() >= UINT32_MAX - 1) throw sql::Error("registry snapshot: more than 4 GiB of persons");
        const auto offset = static_cast<std::uint32_t>(s.records_.size());
        for (int f = 1; f <= person_fields; ++f) append_field(s.records_, person.view(f));
        s.by_id_.insert(id_hash(person.view(1)), offset);

        history.clear();
        cards.clear();
        std::size_t count = 0;
        while (more_qualifications && qualification.integer(0) < key) more_qualifications = qualification.step();
        for (; more_qualifications && qualification.integer(0) == key; more_qualifications = qualification.step()) {
            for (int f = 1; f <= qualification_fields; ++f) append_field(history, qualification.view(f));
            ++count;
            const auto card = card_hash(qualification.view(1), qualification.view(2), qualification.view(3), qualification.view(4));
            if (std::find(cards.begin(), cards.end(), card) != cards.end()) continue;
            cards.push_back(card);
            s.by_card_.insert(card, offset);
        }
        append_length(s.records_, count);
        s.records_.insert(s.records_.end(), history.begin(), history.end());
    }
    transaction.commit();
    if (s.records_.capacity() - s.records_.size() > s.records_.size() / 4) s.records_.shrink_to_fit();
    return s;
}

// The person's fields, from the start of its record (which is left at the history).
Person RegistrySnapshot::read_person(Record& r) {
    Person p;
    p.id = r.field();
    p.name = r.field();
    p.name_kana = r.field();
    p.sex = r.field();
    p.birth_date = r.field();
    decode_details(r.field(), p);
    return p;
}

RegistrySnapshot::Record RegistrySnapshot::record(std::uint32_t offset) const { return Record(records_.data() + offset); }

std::optional<std::uint32_t> RegistrySnapshot::find_person(std::string_view id) const {
    std::optional<std::uint32_t> found;
    by_id_.for_each(id_hash(id), [&](std::uint32_t offset) {
        if (!found && record(offset).field() == id) found = offset;
    });
    return found;
}

std::optional<Person> RegistrySnapshot::person(std::string_view id) const {
    const auto index = find_person(id);
    if (!index) return std::nullopt;
    auto r = record(*index);
    return read_person(r);
}

void RegistrySnapshot::add_qualifications(const Record& at_history, std::vector<Qualification>& out) const {
    Record r = at_history;
    const std::size_t count = r.length();
    out.reserve(out.size() + count);
    for (std::size_t i = 0; i < count; ++i) {
        Qualification& q = out.emplace_back();
        q.insurer = r.field();
        q.symbol = r.field();
        q.number = r.field();
        q.branch = r.field();
        q.classification = r.field();
        q.personal_family = r.field();
        q.valid_from = r.field();
        q.valid_to = r.field();
        q.qualification_date = r.field();
        q.contribution_ratio = r.field();
        decode_details(r.field(), q);
        q.insurer_name = insurer_name(q.insurer);
    }
}

std::vector<Qualification> RegistrySnapshot::qualifications(std::string_view id) const {
    std::vector<Qualification> out;
    const auto index = find_person(id);
    if (!index) return out;
    auto r = record(*index);
    for (int f = 0; f < person_fields; ++f) r.field();
    add_qualifications(r, out);
    return out;
}

std::optional<CardHolder> RegistrySnapshot::card_holder(std::string_view insurer, std::string_view symbol,
                                                         std::string_view number, std::string_view branch,
                                                         std::string_view birth_date) const {
    std::optional<std::uint32_t> holder;  // the lowest offset = the first in id order
    by_card_.for_each(card_hash(insurer, symbol, number, branch), [&](std::uint32_t offset) {
        if (holder && *holder < offset) return;
        auto r = record(offset);
        for (int f = 0; f < birth_date_field; ++f) r.field();
        const auto born = r.field();
        if (!birth_date.empty() && born != birth_date) return;
        for (int f = birth_date_field + 1; f < person_fields; ++f) r.field();
        const std::size_t count = r.length();
        for (std::size_t i = 0; i < count; ++i) {
            const auto q_insurer = r.field(), q_symbol = r.field(), q_number = r.field(), q_branch = r.field();
            if (q_insurer == insurer && q_symbol == symbol && q_number == number && q_branch == branch) {
                holder = offset;
                return;
            }
            for (int f = 4; f < qualification_fields; ++f) r.field();
        }
    });
    if (!holder) return std::nullopt;
    auto r = record(*holder);
    CardHolder out{read_person(r), {}};
    add_qualifications(r, out.history);
    return out;
}

std::string RegistrySnapshot::insurer_name(std::string_view number) const {
    const auto it = insurer_names_.find(number);
    return it == insurer_names_.end() ? std::string() : it->second;
}

std::size_t RegistrySnapshot::memory_bytes() const {
    return records_.capacity() + by_id_.memory_bytes() + by_card_.memory_bytes();
}

}  // namespace mynasim::onshi
