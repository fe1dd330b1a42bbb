#include "answer_builder.hpp"

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

void apply_file_error(xmlmsg::Answer& answer, const ErrorEntry& entry) {
    answer.header.segment_of_result = "9";
    answer.header.error_code = entry.code;
    answer.header.error_message = entry.message;
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
    if (q.elderly) {
        auto& e = *q.elderly;
        r.elderly = {pass<Move>(e.issued), pass<Move>(e.valid_from), pass<Move>(e.valid_to), pass<Move>(e.ratio)};
    }
    if (q.limit) {
        auto& l = *q.limit;
        r.limit = {pass<Move>(l.classification), pass<Move>(l.flag), pass<Move>(l.issued), pass<Move>(l.valid_from),
                   pass<Move>(l.valid_to), pass<Move>(l.long_term)};
    }
    for (auto& d : q.diseases)
        r.specific_diseases.push_back(
            {pass<Move>(d.category), pass<Move>(d.issued), pass<Move>(d.valid_from), pass<Move>(d.valid_to), pass<Move>(d.self_pay)});
    for (auto& t : q.tickets)
        r.medical_tickets.push_back({pass<Move>(t.type), pass<Move>(t.valid_from), pass<Move>(t.valid_to), pass<Move>(t.issue_number),
                                     pass<Move>(t.month), pass<Move>(t.institution_code), pass<Move>(t.institution_flag),
                                     pass<Move>(t.institution_name), pass<Move>(t.prescription_issuer_code),
                                     pass<Move>(t.prescription_issuer_name), pass<Move>(t.injury_name1), pass<Move>(t.injury_name2),
                                     pass<Move>(t.injury_name3), pass<Move>(t.treatment_type), pass<Move>(t.self_pay),
                                     pass<Move>(t.district_contact), pass<Move>(t.handling_contact), pass<Move>(t.single_or_combined),
                                     pass<Move>(t.social_insurance), pass<Move>(t.consistency_flag), pass<Move>(t.infection),
                                     pass<Move>(t.elderly_care), pass<Move>(t.prefectural_expenses), pass<Move>(t.remarks1),
                                     pass<Move>(t.remarks2), pass<Move>(t.remarks3)});
}

}  // namespace

void fill_qualification(xmlmsg::Qualification& out, const Person& person, const Qualification& q) { fill<false>(out, person, q); }
void fill_qualification(xmlmsg::Qualification& out, Person&& person, Qualification&& q) { fill<true>(out, person, q); }

}  // namespace mynasim::onshi
