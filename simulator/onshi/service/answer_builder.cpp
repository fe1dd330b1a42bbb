#include "answer_builder.hpp"

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

void fill_qualification(xmlmsg::Qualification& r, const Person& person, const Qualification& q) {
    r.insured_card_classification = q.classification;
    r.insurer_number = q.insurer;
    r.insured_card_symbol = q.symbol;
    r.insured_identification_number = q.number;
    r.insured_branch_number = q.branch;
    r.personal_family_classification = q.personal_family;
    // 被保険者氏名: the head of household as the dataset names them; a 本人 by default their own name.
    r.insured_name = !q.insured_name.empty() ? q.insured_name : q.personal_family == "1" ? person.name : std::string();
    r.name = person.name;
    r.name_of_other = person.name_of_other;
    r.name_kana = person.name_kana;
    r.name_of_other_kana = person.name_of_other_kana;
    r.sex1 = person.sex;
    r.sex2 = person.sex2;
    r.birthdate = person.birth_date;
    r.address = person.address;
    r.post_number = person.post_number;
    r.qualification_date = q.qualification_date;
    r.disqualification_date = q.disqualification_date;
    r.insured_certificate_issuance_date = q.certificate_issued;
    r.insured_card_valid_date = q.valid_from;
    r.insured_card_expiration_date = q.valid_to;
    r.insured_partial_contribution_ratio = q.contribution_ratio;
    r.preschool_classification = q.preschool;
    r.reason_of_loss = q.reason_of_loss;
    r.insurer_name = q.insurer_name;
    if (q.elderly) r.elderly = {q.elderly->issued, q.elderly->valid_from, q.elderly->valid_to, q.elderly->ratio};
    if (q.limit) r.limit = {q.limit->classification, q.limit->flag, q.limit->issued, q.limit->valid_from, q.limit->valid_to, q.limit->long_term};
    for (const auto& d : q.diseases) r.specific_diseases.push_back({d.category, d.issued, d.valid_from, d.valid_to, d.self_pay});
    for (const auto& t : q.tickets)
        r.medical_tickets.push_back({t.type, t.valid_from, t.valid_to, t.issue_number, t.month, t.institution_code, t.institution_flag,
                                     t.institution_name, t.prescription_issuer_code, t.prescription_issuer_name, t.injury_name1,
                                     t.injury_name2, t.injury_name3, t.treatment_type, t.self_pay, t.district_contact, t.handling_contact,
                                     t.single_or_combined, t.social_insurance, t.consistency_flag, t.infection, t.elderly_care,
                                     t.prefectural_expenses, t.remarks1, t.remarks2, t.remarks3});
}

}  // namespace mynasim::onshi
