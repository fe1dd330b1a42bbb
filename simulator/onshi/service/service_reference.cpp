// 照会番号 registration (docs/file-interface.md, "照会番号"): an institution gives a person its own number (its
// patient number), found by the insurance card and birth date as a 資格確認 would find them; every later answer
// for that person at that institution carries it as ReferenceNumber (single, bulk, face files, HTTP).
#include "service.hpp"

#include "onshi/service/answer_builder.hpp"

namespace mynasim::onshi {

xmlmsg::ReferenceOutcome Service::reference_outcome(const xmlmsg::ReferenceRegistration& registration) {
    xmlmsg::ReferenceOutcome outcome{registration, "1", {}, {}};
    const auto fail = [&](const std::string& key) {
        const auto& entry = errors_.at(key);
        outcome.processing_result_status = "2";
        outcome.processing_result_code = entry.code;
        outcome.processing_result_message = entry.message;
        return outcome;
    };
    const auto holder = store_.card_holder(registration.insurer_number, registration.insured_card_symbol, registration.insured_identification_number,
                                           registration.insured_branch_number, registration.birthdate);
    if (!holder) return fail("card_not_found");
    const auto registered = store_.register_reference_number(settings_.institution_code, holder->person.id, registration.reference_number,
                                                             format_time(clock_()));
    if (registered == Store::ReferenceOutcome::Taken) return fail("reference_number_taken");
    return outcome;
}

xmlmsg::ReferenceAnswer Service::register_reference(const xmlmsg::ReferenceRequest& request, bool shift_jis) {
    const auto now = clock_();
    xmlmsg::ReferenceAnswer answer;
    const std::string date = request.header.qualification_confirmation_date.empty() ? japan_date(now) : request.header.qualification_confirmation_date;
    answer.header = answer_header(now, date, settings_.institution_code, request.header.arbitrary_file_identifier, LookedUpBy::InsuranceCardNumbers,
                                  charset_code(shift_jis));
    try {
        answer.outcome = reference_outcome(request.registration);
    } catch (const std::exception&) {  // the file could not be processed (SegmentOfResult 9)
        apply_file_error(answer.header, errors_.at("internal_error"));
    }
    return answer;
}

}  // namespace mynasim::onshi
