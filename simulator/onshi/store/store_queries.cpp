// What the service asks of the store: reference data from memory, the rest from SQLite.
#include "store.hpp"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "onshi/store/store_connections.hpp"

namespace mynasim::onshi {

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
    sql::Statement insert(use.db(), "INSERT OR REPLACE INTO consents VALUES (?, ?, ?, ?, ?, ?,"
                                    " (SELECT COALESCE(MAX(recorded), 0) + 1 FROM consents))");
    insert.bind(1, confirmation_id).bind(2, person_id).bind(3, consent.pharmaceutical).bind(4, consent.checkup).bind(5, at)
        .bind(6, consent.refused);
    insert.run();  // one statement: its own transaction
}

std::optional<Store::Consent> Store::consent(const std::string& confirmation_id) {
    auto use = reading();
    auto query = use.db().cached("SELECT person_id, pharmaceutical, checkup, refused, given_at FROM consents WHERE confirmation_id = ?");
    query->bind(1, confirmation_id);
    if (!query->step()) return std::nullopt;
    return Consent{query->text(0), query->text(1), query->text(2), query->text(3), query->text(4)};
}

std::optional<Store::Consent> Store::latest_consent(const std::string& person_id) {
    auto use = reading();
    auto query = use.db().cached("SELECT person_id, pharmaceutical, checkup, refused, given_at FROM consents WHERE person_id = ?"
                                 " ORDER BY given_at DESC, recorded DESC LIMIT 1");
    query->bind(1, person_id);
    if (!query->step()) return std::nullopt;
    return Consent{query->text(0), query->text(1), query->text(2), query->text(3), query->text(4)};
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

namespace {
std::string reference_key(const std::string& institution, const std::string& person_id) { return institution + '\n' + person_id; }
}  // namespace

std::string Store::reference_number(const std::string& institution, const std::string& person_id) {
    if (!reference_numbers_any_.load(std::memory_order_relaxed)) return {};
    {
        std::shared_lock lock(reference_numbers_mutex_);
        if (reference_numbers_) {
            const auto found = reference_numbers_->find(reference_key(institution, person_id));
            return found == reference_numbers_->end() ? std::string() : found->second;
        }
    }
    std::unordered_map<std::string, std::string> loaded;
    {
        auto use = reading();
        auto query = use.db().cached("SELECT institution, person_id, number FROM reference_numbers");
        while (query->step()) loaded.emplace(reference_key(query->text(0), query->text(1)), query->text(2));
    }
    std::unique_lock lock(reference_numbers_mutex_);
    if (!reference_numbers_) {
        reference_numbers_any_ = !loaded.empty();
        reference_numbers_ = std::move(loaded);
    }
    const auto found = reference_numbers_->find(reference_key(institution, person_id));
    return found == reference_numbers_->end() ? std::string() : found->second;
}

Store::ReferenceOutcome Store::register_reference_number(const std::string& institution, const std::string& person_id,
                                                         const std::string& number, const std::string& at) {
    reference_number(institution, person_id);  // the numbers are in memory before this one is added
    {
        auto use = writing();
        sql::Transaction transaction(use.db());
        auto holder = use.db().cached("SELECT person_id FROM reference_numbers WHERE institution = ? AND number = ?");
        holder->bind(1, institution).bind(2, number);
        if (holder->step() && holder->text(0) != person_id) return ReferenceOutcome::Taken;
        holder->reset();
        sql::Statement insert(use.db(), "INSERT OR REPLACE INTO reference_numbers VALUES (?, ?, ?, ?)");
        insert.bind(1, institution).bind(2, person_id).bind(3, number).bind(4, at);
        insert.run();
        transaction.commit();
    }
    std::unique_lock lock(reference_numbers_mutex_);
    if (reference_numbers_) (*reference_numbers_)[reference_key(institution, person_id)] = number;
    reference_numbers_any_ = true;
    return ReferenceOutcome::Registered;
}

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

namespace mynasim::onshi {

namespace {

CardOnRecord card_of(const Qualification& q, const std::string& birth_date) { return {q.insurer, q.symbol, q.number, q.branch, birth_date}; }

}  // namespace

std::vector<CardOnRecord> Store::medical_aid_cards(const std::string& month, const std::string& institution) {
    std::vector<std::string> ids;
    {
        auto use = reading();  // 医療扶助 is InsuredCardClassification A1: only those persons can hold a 医療券
        auto query = use.db().cached("SELECT DISTINCT p.id FROM qualifications q JOIN persons p ON p.key = q.person_key"
                                     " WHERE q.classification = 'A1' ORDER BY p.id");
        while (query->step()) ids.push_back(query->text(0));
    }
    const auto& reference = current_reference();
    std::vector<CardOnRecord> out;
    for (const auto& id : ids) {
        const auto person = reference.person(id);
        if (!person) continue;
        for (const auto& q : reference.qualifications(id)) {
            const bool holds = std::any_of(q.tickets.begin(), q.tickets.end(), [&](const MedicalTicket& t) {
                return t.month == month && t.institution_code == institution;
            });
            if (q.classification == "A1" && holds) {
                out.push_back(card_of(q, person->birth_date));
                break;
            }
        }
    }
    return out;
}

std::vector<CardOnRecord> Store::remote_consent_cards(const std::string& treatment, const std::string& institution, RemoteConsentDate by,
                                                      const std::string& from, const std::string& to) {
    std::vector<std::string> ids;
    {
        auto use = reading();
        auto query = use.db().cached(by == RemoteConsentDate::Consent
                                         ? "SELECT DISTINCT person_id FROM remote_consents WHERE treatment = ? AND institution = ?"
                                           " AND consented_on BETWEEN ? AND ? ORDER BY person_id"
                                         : "SELECT DISTINCT person_id FROM remote_consents WHERE treatment = ? AND institution = ?"
                                           " AND examined_on <> '' AND examined_on BETWEEN ? AND ? ORDER BY person_id");
        query->bind(1, treatment).bind(2, institution).bind(3, from).bind(4, to);
        while (query->step()) ids.push_back(query->text(0));
    }
    const auto& reference = current_reference();
    std::vector<CardOnRecord> out;
    for (const auto& id : ids) {
        const auto person = reference.person(id);
        const auto history = reference.qualifications(id);  // in date order: the newest card is the last
        if (person && !history.empty()) out.push_back(card_of(history.back(), person->birth_date));
    }
    return out;
}

}  // namespace mynasim::onshi
