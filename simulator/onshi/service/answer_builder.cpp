#include "answer_builder.hpp"

#include <initializer_list>
#include <type_traits>
#include <utility>

namespace mynasim::onshi {

std::string japan_compact_time(UnixTime utc) { return format_compact_time(utc + japan_offset_seconds); }
std::string japan_date(UnixTime utc) { return format_compact_date(utc + japan_offset_seconds); }

xmlmsg::AnswerHeader answer_header(UnixTime now, const std::string& date, const std::string& institution_code,
                                   const std::string& file_identifier, LookedUpBy by, const std::string& charset_code) {
    xmlmsg::AnswerHeader header;
    header.process_execution_time = japan_compact_time(now);
    header.qualification_confirmation_date = date;
    header.medical_institution_code = institution_code;
    header.arbitrary_file_identifier = file_identifier;
    header.reference_classification = by == LookedUpBy::Card ? "1" : "2";
    header.segment_of_result = "1";
    header.character_code_identifier = charset_code;
    return header;
}

void apply_file_error(xmlmsg::AnswerHeader& header, const ErrorEntry& entry) {
    header.segment_of_result = "9";
    header.error_code = entry.code;
    header.error_message = entry.message;
}

void apply_file_error(xmlmsg::Answer& answer, const ErrorEntry& entry) {
    apply_file_error(answer.header, entry);
    answer.body = {};
}

void apply_error(xmlmsg::Answer& answer, const ErrorEntry& entry) {
    switch (entry.level) {
    case ErrorLevel::File:
        apply_file_error(answer, entry);
        return;
    case ErrorLevel::Person:
        answer.body.processing_result_status = "2";
        answer.body.results.clear();
        answer.body.qualification_validity.clear();
        [[fallthrough]];
    case ErrorLevel::Notice:
        answer.body.processing_result_code = entry.code;
        answer.body.processing_result_message = entry.message;
        return;
    }
}

namespace {

// A value copied, or moved when the caller is done with it.
template <bool Move, class T>
decltype(auto) pass(T& value) {
    if constexpr (Move) return std::move(value);
    else return static_cast<const T&>(value);
}

// Which dataset field goes to which answer element, by name (the two structs order their fields differently).
template <class From, class To>
using Members = std::initializer_list<std::pair<std::string From::*, std::string To::*>>;

constexpr Members<ElderlyCertificate, xmlmsg::ElderlyCertificate> elderly_members = {
    {&ElderlyCertificate::issued, &xmlmsg::ElderlyCertificate::date},
    {&ElderlyCertificate::valid_from, &xmlmsg::ElderlyCertificate::valid_start},
    {&ElderlyCertificate::valid_to, &xmlmsg::ElderlyCertificate::valid_end},
    {&ElderlyCertificate::ratio, &xmlmsg::ElderlyCertificate::contribution_ratio}};
constexpr Members<LimitCertificate, xmlmsg::LimitCertificate> limit_members = {
    {&LimitCertificate::classification, &xmlmsg::LimitCertificate::classification},
    {&LimitCertificate::flag, &xmlmsg::LimitCertificate::classification_flag},
    {&LimitCertificate::issued, &xmlmsg::LimitCertificate::date},
    {&LimitCertificate::valid_from, &xmlmsg::LimitCertificate::valid_start},
    {&LimitCertificate::valid_to, &xmlmsg::LimitCertificate::valid_end},
    {&LimitCertificate::long_term, &xmlmsg::LimitCertificate::long_term_date}};
constexpr Members<DiseaseCertificate, xmlmsg::SpecificDiseaseCertificate> disease_members = {
    {&DiseaseCertificate::category, &xmlmsg::SpecificDiseaseCertificate::disease_category},
    {&DiseaseCertificate::issued, &xmlmsg::SpecificDiseaseCertificate::certificate_date},
    {&DiseaseCertificate::valid_from, &xmlmsg::SpecificDiseaseCertificate::valid_start},
    {&DiseaseCertificate::valid_to, &xmlmsg::SpecificDiseaseCertificate::valid_end},
    {&DiseaseCertificate::self_pay, &xmlmsg::SpecificDiseaseCertificate::self_pay}};
constexpr Members<MedicalTicket, xmlmsg::MedicalTicket> ticket_members = {
    {&MedicalTicket::type, &xmlmsg::MedicalTicket::ticket_type},
    {&MedicalTicket::valid_from, &xmlmsg::MedicalTicket::valid_date},
    {&MedicalTicket::valid_to, &xmlmsg::MedicalTicket::expiration_date},
    {&MedicalTicket::issue_number, &xmlmsg::MedicalTicket::issue_number},
    {&MedicalTicket::month, &xmlmsg::MedicalTicket::treatment_month},
    {&MedicalTicket::institution_code, &xmlmsg::MedicalTicket::designated_institution_code},
    {&MedicalTicket::institution_flag, &xmlmsg::MedicalTicket::designated_institution_flag},
    {&MedicalTicket::institution_name, &xmlmsg::MedicalTicket::designated_institution_name},
    {&MedicalTicket::prescription_issuer_code, &xmlmsg::MedicalTicket::prescription_issuer_code},
    {&MedicalTicket::prescription_issuer_name, &xmlmsg::MedicalTicket::prescription_issuer_name},
    {&MedicalTicket::injury_name1, &xmlmsg::MedicalTicket::injury_name1},
    {&MedicalTicket::injury_name2, &xmlmsg::MedicalTicket::injury_name2},
    {&MedicalTicket::injury_name3, &xmlmsg::MedicalTicket::injury_name3},
    {&MedicalTicket::treatment_type, &xmlmsg::MedicalTicket::treatment_type},
    {&MedicalTicket::self_pay, &xmlmsg::MedicalTicket::self_pay_amount},
    {&MedicalTicket::district_contact, &xmlmsg::MedicalTicket::district_contact_name},
    {&MedicalTicket::handling_contact, &xmlmsg::MedicalTicket::handling_contact_name},
    {&MedicalTicket::single_or_combined, &xmlmsg::MedicalTicket::single_or_combined_use},
    {&MedicalTicket::social_insurance, &xmlmsg::MedicalTicket::status_of_social_insurance},
    {&MedicalTicket::consistency_flag, &xmlmsg::MedicalTicket::consistency_flag},
    {&MedicalTicket::infection, &xmlmsg::MedicalTicket::status_of_infection},
    {&MedicalTicket::elderly_care, &xmlmsg::MedicalTicket::status_of_elderly_medical_care},
    {&MedicalTicket::prefectural_expenses, &xmlmsg::MedicalTicket::status_of_prefectural_expenses},
    {&MedicalTicket::remarks1, &xmlmsg::MedicalTicket::remarks1},
    {&MedicalTicket::remarks2, &xmlmsg::MedicalTicket::remarks2},
    {&MedicalTicket::remarks3, &xmlmsg::MedicalTicket::remarks3}};

template <bool Move, class From, class To>
void pass_fields(To& out, From& in, Members<std::remove_const_t<From>, To> members) {
    for (const auto& [from, to] : members) out.*to = pass<Move>(in.*from);
}

template <bool Move, class P, class Q>
void fill(xmlmsg::Qualification& r, P& person, Q& q) {
    const bool self = q.personal_family == "1";  // (read before anything is moved)
    r.insured_card_classification = pass<Move>(q.classification);
    r.insurer_number = pass<Move>(q.insurer);
    r.insured_card_symbol = pass<Move>(q.symbol);
    r.insured_identification_number = pass<Move>(q.number);
    r.insured_branch_number = pass<Move>(q.branch);
    r.personal_family_classification = pass<Move>(q.personal_family);
    // 被保険者氏名: the head of household as the dataset names them; a 本人 by default their own name.
    if (!q.insured_name.empty()) r.insured_name = pass<Move>(q.insured_name);
    else if (self) r.insured_name = person.name;  // (copied: Name follows)
    r.name = pass<Move>(person.name);
    r.name_of_other = pass<Move>(person.name_of_other);
    r.name_kana = pass<Move>(person.name_kana);
    r.name_of_other_kana = pass<Move>(person.name_of_other_kana);
    r.sex1 = pass<Move>(person.sex);
    r.sex2 = pass<Move>(person.sex2);
    r.birthdate = pass<Move>(person.birth_date);
    r.address = pass<Move>(person.address);
    r.post_number = pass<Move>(person.post_number);
    r.qualification_date = pass<Move>(q.qualification_date);
    r.disqualification_date = pass<Move>(q.disqualification_date);
    r.insured_certificate_issuance_date = pass<Move>(q.certificate_issued);
    r.insured_card_valid_date = pass<Move>(q.valid_from);
    r.insured_card_expiration_date = pass<Move>(q.valid_to);
    r.insured_partial_contribution_ratio = pass<Move>(q.contribution_ratio);
    r.preschool_classification = pass<Move>(q.preschool);
    r.reason_of_loss = pass<Move>(q.reason_of_loss);
    r.insurer_name = pass<Move>(q.insurer_name);
    if (q.elderly) pass_fields<Move>(r.elderly, *q.elderly, elderly_members);
    if (q.limit) pass_fields<Move>(r.limit, *q.limit, limit_members);
    for (auto& d : q.diseases) pass_fields<Move>(r.specific_diseases.emplace_back(), d, disease_members);
    for (auto& t : q.tickets) pass_fields<Move>(r.medical_tickets.emplace_back(), t, ticket_members);
}

}  // namespace

void fill_qualification(xmlmsg::Qualification& out, const Person& person, const Qualification& q) { fill<false>(out, person, q); }
void fill_qualification(xmlmsg::Qualification& out, Person&& person, Qualification&& q) { fill<true>(out, person, q); }

}  // namespace mynasim::onshi
