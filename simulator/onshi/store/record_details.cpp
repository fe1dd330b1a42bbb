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

void put(std::string& out, std::initializer_list<const std::string*> fields) {
    for (const auto* field : fields) {
        put_length(out, field->size());
        out += *field;
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
    void get(std::initializer_list<std::string*> fields) {
        for (auto* field : fields) {
            const std::size_t n = length();
            if (n > text_.size() - at_) fail();
            field->assign(text_.substr(at_, n));
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

// A medical ticket's fields, in the order they are kept.
constexpr std::string MedicalTicket::* ticket_fields[] = {
    &MedicalTicket::type, &MedicalTicket::valid_from, &MedicalTicket::valid_to, &MedicalTicket::issue_number, &MedicalTicket::month,
    &MedicalTicket::institution_code, &MedicalTicket::institution_flag, &MedicalTicket::institution_name, &MedicalTicket::self_pay,
    &MedicalTicket::prescription_issuer_code,
    &MedicalTicket::prescription_issuer_name,
    &MedicalTicket::injury_name1,
    &MedicalTicket::injury_name2,
    &MedicalTicket::injury_name3,
    &MedicalTicket::treatment_type,
    &MedicalTicket::district_contact,
    &MedicalTicket::handling_contact,
    &MedicalTicket::single_or_combined,
    &MedicalTicket::social_insurance,
    &MedicalTicket::consistency_flag,
    &MedicalTicket::infection,
    &MedicalTicket::elderly_care,
    &MedicalTicket::prefectural_expenses,
    &MedicalTicket::remarks1,
    &MedicalTicket::remarks2,
    &MedicalTicket::remarks3,
};

bool all_empty(std::initializer_list<const std::string*> fields) {
    for (const auto* f : fields)
        if (!f->empty()) return false;
    return true;
}

}  // namespace

std::string encode_details(const Person& p) {
    if (all_empty({&p.name_of_other, &p.name_of_other_kana, &p.sex2, &p.address, &p.post_number})) return {};
    std::string out(1, version);
    put(out, {&p.name_of_other, &p.name_of_other_kana, &p.sex2, &p.address, &p.post_number});
    return out;
}

void decode_details(std::string_view encoded, Person& p) {
    if (encoded.empty()) return;
    if (encoded.front() != version) throw std::runtime_error("store: a record's details are of another version");
    Reader r(encoded);
    r.get({&p.name_of_other, &p.name_of_other_kana, &p.sex2, &p.address, &p.post_number});
    r.done();
}

std::string encode_details(const Qualification& q) {
    if (all_empty({&q.insured_name, &q.disqualification_date, &q.certificate_issued, &q.preschool, &q.reason_of_loss}) && !q.elderly &&
        !q.limit && q.diseases.empty() && q.tickets.empty())
        return {};
    std::string out(1, version);
    put(out, {&q.insured_name, &q.disqualification_date, &q.certificate_issued, &q.preschool, &q.reason_of_loss});
    put_length(out, q.elderly ? 1 : 0);
    if (q.elderly) put(out, {&q.elderly->issued, &q.elderly->valid_from, &q.elderly->valid_to, &q.elderly->ratio});
    put_length(out, q.limit ? 1 : 0);
    if (q.limit) put(out, {&q.limit->classification, &q.limit->flag, &q.limit->issued, &q.limit->valid_from, &q.limit->valid_to, &q.limit->long_term});
    put_length(out, q.diseases.size());
    for (const auto& d : q.diseases) put(out, {&d.category, &d.issued, &d.valid_from, &d.valid_to, &d.self_pay});
    put_length(out, q.tickets.size());
    for (const auto& t : q.tickets)
        for (const auto member : ticket_fields) put(out, {&(t.*member)});
    return out;
}

void decode_details(std::string_view encoded, Qualification& q) {
    if (encoded.empty()) return;
    if (encoded.front() != version) throw std::runtime_error("store: a record's details are of another version");
    Reader r(encoded);
    r.get({&q.insured_name, &q.disqualification_date, &q.certificate_issued, &q.preschool, &q.reason_of_loss});
    if (r.length() == 1) {
        auto& e = q.elderly.emplace();
        r.get({&e.issued, &e.valid_from, &e.valid_to, &e.ratio});
    }
    if (r.length() == 1) {
        auto& l = q.limit.emplace();
        r.get({&l.classification, &l.flag, &l.issued, &l.valid_from, &l.valid_to, &l.long_term});
    }
    for (std::size_t n = r.length(); n > 0; --n) {
        auto& d = q.diseases.emplace_back();
        r.get({&d.category, &d.issued, &d.valid_from, &d.valid_to, &d.self_pay});
    }
    for (std::size_t n = r.length(); n > 0; --n) {
        auto& t = q.tickets.emplace_back();
        for (const auto member : ticket_fields) r.get({&(t.*member)});
    }
    r.done();
}

}  // namespace mynasim::onshi
