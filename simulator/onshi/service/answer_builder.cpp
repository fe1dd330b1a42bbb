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

void apply_error(xmlmsg::Answer& answer, const ErrorEntry& entry) {
    switch (entry.level) {
    case ErrorLevel::File:
        answer.header.segment_of_result = "9";
        answer.header.error_code = entry.code;
        answer.header.error_message = entry.message;
        answer.body = {};
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
    // 被保険者氏名: the person themself when 本人; a family member's head of household is not in the data yet.
    if (q.personal_family == "1") r.insured_name = person.name;
    r.name = person.name;
    r.name_kana = person.name_kana;
    r.sex1 = person.sex;
    r.birthdate = person.birth_date;
    r.qualification_date = q.qualification_date;
    r.insured_card_valid_date = q.valid_from;
    r.insured_card_expiration_date = q.valid_to;
    r.insured_partial_contribution_ratio = q.contribution_ratio;
    r.insurer_name = q.insurer_name;
}

}  // namespace mynasim::onshi
