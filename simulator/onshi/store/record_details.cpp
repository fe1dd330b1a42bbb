#include "record_details.hpp"

#include <initializer_list>
#include <stdexcept>

namespace mynasim::onshi {

namespace {

constexpr char version = '1';  // the first byte of every non-empty encoding

void put_length(std::string& out, std::size_t n) {  // LEB128, as the registry snapshot
    while (n >= 0x80) {
        out.push_back(static_cast<char>((n & 0x7F) | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
}

// A record's fields in the order they are kept: the one list both directions read.
template <class Record>
using Fields = std::initializer_list<std::string Record::*>;

template <class Record>
void put(std::string& out, const Record& record, Fields<Record> fields) {
    for (const auto member : fields) {
        put_length(out, (record.*member).size());
        out += record.*member;
    }
}

class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}
    std::size_t length() {
        std::size_t n = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at_ >= text_.size()) fail();
            const auto byte = static_cast<unsigned char>(text_[at_++]);
            n |= static_cast<std::size_t>(byte & 0x7F) << shift;
            if (!(byte & 0x80)) return n;
        }
        fail();
    }
    template <class Record>
    void get(Record& record, Fields<Record> fields) {
        for (const auto member : fields) {
            const std::size_t n = length();
            if (n > text_.size() - at_) fail();
            (record.*member).assign(text_.substr(at_, n));
            at_ += n;
        }
    }
    void done() const {
        if (at_ != text_.size()) fail();
    }

private:
    [[noreturn]] static void fail() { throw std::runtime_error("store: a record's details are not as this mynasim writes them"); }
    std::string_view text_;
    std::size_t at_ = 1;  // after the version byte
};

constexpr Fields<Person> person_detail_fields = {&Person::name_of_other, &Person::name_of_other_kana, &Person::sex2, &Person::address,
                                         &Person::post_number};
constexpr Fields<Qualification> qualification_detail_fields = {&Qualification::insured_name, &Qualification::disqualification_date,
                                                       &Qualification::certificate_issued, &Qualification::preschool,
                                                       &Qualification::reason_of_loss, &Qualification::card_form};
constexpr Fields<ElderlyCertificate> elderly_detail_fields = {&ElderlyCertificate::issued, &ElderlyCertificate::valid_from,
                                                      &ElderlyCertificate::valid_to, &ElderlyCertificate::ratio};
constexpr Fields<LimitCertificate> limit_detail_fields = {&LimitCertificate::classification, &LimitCertificate::flag,
                                                  &LimitCertificate::issued,         &LimitCertificate::valid_from,
                                                  &LimitCertificate::valid_to,       &LimitCertificate::long_term};
constexpr Fields<DiseaseCertificate> disease_detail_fields = {&DiseaseCertificate::category, &DiseaseCertificate::issued,
                                                      &DiseaseCertificate::valid_from, &DiseaseCertificate::valid_to,
                                                      &DiseaseCertificate::self_pay};
constexpr Fields<MedicalTicket> ticket_detail_fields = {
    &MedicalTicket::type, &MedicalTicket::valid_from, &MedicalTicket::valid_to, &MedicalTicket::issue_number, &MedicalTicket::month,
    &MedicalTicket::institution_code, &MedicalTicket::institution_flag, &MedicalTicket::institution_name, &MedicalTicket::self_pay,
    &MedicalTicket::prescription_issuer_code, &MedicalTicket::prescription_issuer_name, &MedicalTicket::injury_name1,
    &MedicalTicket::injury_name2, &MedicalTicket::injury_name3, &MedicalTicket::treatment_type, &MedicalTicket::district_contact,
    &MedicalTicket::handling_contact, &MedicalTicket::single_or_combined, &MedicalTicket::social_insurance,
    &MedicalTicket::consistency_flag, &MedicalTicket::infection, &MedicalTicket::elderly_care, &MedicalTicket::prefectural_expenses,
    &MedicalTicket::remarks1, &MedicalTicket::remarks2, &MedicalTicket::remarks3};

template <class Record>
bool all_empty(const Record& record, Fields<Record> fields) {
    for (const auto member : fields)
        if (!(record.*member).empty()) return false;
    return true;
}

}  // namespace
std::string encode_details(const Person& p) {
    if (all_empty(p, person_detail_fields)) return {};
    std::string out(1, version);
    put(out, p, person_detail_fields);
    return out;
}

void decode_details(std::string_view encoded, Person& p) {
    if (encoded.empty()) return;
    if (encoded.front() != version) throw std::runtime_error("store: a record's details are of another version");
    Reader r(encoded);
    r.get(p, person_detail_fields);
    r.done();
}

std::string encode_details(const Qualification& q) {
    if (all_empty(q, qualification_detail_fields) && !q.elderly && !q.limit && q.diseases.empty() && q.tickets.empty()) return {};
    std::string out(1, version);
    put(out, q, qualification_detail_fields);
    put_length(out, q.elderly ? 1 : 0);
    if (q.elderly) put(out, *q.elderly, elderly_detail_fields);
    put_length(out, q.limit ? 1 : 0);
    if (q.limit) put(out, *q.limit, limit_detail_fields);
    put_length(out, q.diseases.size());
    for (const auto& d : q.diseases) put(out, d, disease_detail_fields);
    put_length(out, q.tickets.size());
    for (const auto& t : q.tickets) put(out, t, ticket_detail_fields);
    return out;
}

void decode_details(std::string_view encoded, Qualification& q) {
    if (encoded.empty()) return;
    if (encoded.front() != version) throw std::runtime_error("store: a record's details are of another version");
    Reader r(encoded);
    r.get(q, qualification_detail_fields);
    if (r.length() == 1) r.get(q.elderly.emplace(), elderly_detail_fields);
    if (r.length() == 1) r.get(q.limit.emplace(), limit_detail_fields);
    for (std::size_t n = r.length(); n > 0; --n) r.get(q.diseases.emplace_back(), disease_detail_fields);
    for (std::size_t n = r.length(); n > 0; --n) r.get(q.tickets.emplace_back(), ticket_detail_fields);
    r.done();
}

}  // namespace mynasim::onshi
