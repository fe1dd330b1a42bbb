// The service's bulk answers (docs/file-interface.md, "Bulk confirmation"): each person of a job is
// confirmed exactly as a single OQSsiquc01req of the same search on the job's date would be, and the
// answer of that confirmation becomes the person's BulkConfirmUnit.
#include "service.hpp"

#include "onshi/service/answer_builder.hpp"

namespace mynasim::onshi {

namespace {

xmlmsg::AnswerHeader bulk_header(const Service& service, UnixTime now, const std::string& date, const xmlmsg::RequestHeader* request,
                                 const std::string& reception_number, bool shift_jis) {
    auto header = answer_header(now, date, service.settings().institution_code, request ? request->arbitrary_file_identifier : std::string(),
                                LookedUpBy::InsuranceCardNumbers, service.charset_code(shift_jis));
    header.reference_classification.clear();  // not an element of the bulk answers' headers
    header.reception_number = reception_number;
    return header;
}

xmlmsg::BulkUnit unit_of(xmlmsg::SearchInfo search, xmlmsg::Answer&& answer) {
    xmlmsg::BulkUnit unit;
    unit.search = std::move(search);
    if (answer.header.segment_of_result != "1") {  // the person could not be processed: the unit says why
        unit.processing_result_status = "2";
        unit.processing_result_code = std::move(answer.header.error_code);
        unit.processing_result_message = std::move(answer.header.error_message);
        return unit;
    }
    auto& body = answer.body;
    unit.processing_result_status = std::move(body.processing_result_status);
    unit.processing_result_code = std::move(body.processing_result_code);
    unit.processing_result_message = std::move(body.processing_result_message);
    unit.qualification_validity = std::move(body.qualification_validity);
    unit.results = std::move(body.results);
    unit.reference_number = std::move(body.reference_number);
    return unit;
}

}  // namespace

xmlmsg::BulkAnswer Service::bulk_acceptance(const BulkJob& job) const {
    xmlmsg::BulkAnswer answer;
    answer.header = bulk_header(*this, clock_(), job.confirmation_date, &job.request.header, job.reception_number, job.shift_jis);
    answer.header.reception_date_time = japan_compact_time(job.accepted_at);
    answer.processing_result_status = "1";
    return answer;
}

xmlmsg::BulkAnswer Service::bulk_pending(const BulkJob& job, const xmlmsg::BulkResultRequest& request, bool shift_jis) const {
    xmlmsg::BulkAnswer answer;
    answer.header = bulk_header(*this, clock_(), job.confirmation_date, &request.header, job.reception_number, shift_jis);
    answer.header.segment_of_result = "2";  // 処理中: send step 2 again later
    return answer;
}

xmlmsg::BulkAnswer Service::bulk_error(const std::string& key, const xmlmsg::RequestHeader* header, const std::string& reception_number,
                                       bool shift_jis) const {
    const auto now = clock_();
    xmlmsg::BulkAnswer answer;
    const std::string date = header && !header->qualification_confirmation_date.empty() ? header->qualification_confirmation_date : japan_date(now);
    answer.header = bulk_header(*this, now, date, header, reception_number, shift_jis);
    apply_file_error(answer.header, errors_.at(key));
    return answer;
}

xmlmsg::BulkAnswer Service::bulk_result(const BulkJob& job, const xmlmsg::BulkResultRequest& request, bool shift_jis) {
    xmlmsg::BulkAnswer answer;
    answer.header = bulk_header(*this, clock_(), job.confirmation_date, &request.header, job.reception_number, shift_jis);
    try {
        if (job.family == BulkFamily::ReferenceNumbers) {  // registrations: each one's outcome, in the list's order
            std::size_t normal = 0;
            for (const auto& registration : job.request.registrations) {
                answer.registrations.push_back(reference_outcome(registration));
                if (answer.registrations.back().processing_result_status == "1") ++normal;
            }
            answer.header.number_of_processing_result = std::to_string(answer.registrations.size());
            answer.header.number_of_normal_processing = std::to_string(normal);
            answer.header.number_of_error = std::to_string(answer.registrations.size() - normal);
            return answer;
        }
        Store::Unit unit(store_, Store::Unit::Kind::Read);  // one snapshot for the whole job
        auto searches = bulk_searches(job);
        answer.units.reserve(searches.size());
        std::size_t normal = 0;
        xmlmsg::SingleRequest single;
        single.header = job.request.header;
        single.header.qualification_confirmation_date = job.confirmation_date;
        for (auto& search : searches) {
            single.search = search;
            answer.units.push_back(unit_of(std::move(search), answer_card_search(single, shift_jis)));
            if (answer.units.back().processing_result_status == "1") ++normal;
        }
        unit.commit();
        answer.header.number_of_processing_result = std::to_string(answer.units.size());
        answer.header.number_of_normal_processing = std::to_string(normal);
        answer.header.number_of_error = std::to_string(answer.units.size() - normal);
    } catch (const std::exception&) {
        return bulk_error("internal_error", &request.header, job.reception_number, shift_jis);
    }
    return answer;
}

std::vector<xmlmsg::SearchInfo> Service::bulk_searches(const BulkJob& job) {
    if (job.family == BulkFamily::List) return job.request.searches;
    const auto& range = job.request.range;
    std::vector<CardOnRecord> cards;
    switch (job.family) {
        case BulkFamily::MedicalAid:
            cards = store_.medical_aid_cards(range.medical_treatment_month, settings_.institution_code);
            break;
        case BulkFamily::HomeVisit:
        case BulkFamily::Online: {
            const bool by_examination = !range.examination_date_from.empty();
            cards = store_.remote_consent_cards(range.medical_treatment_flag, settings_.institution_code,
                                                by_examination ? RemoteConsentDate::Examination : RemoteConsentDate::Consent,
                                                by_examination ? range.examination_date_from : range.consent_date_from,
                                                by_examination ? range.examination_date_to : range.consent_date_to);
            break;
        }
        case BulkFamily::List:
        case BulkFamily::ReferenceNumbers:
            break;
    }
    std::vector<xmlmsg::SearchInfo> searches;
    searches.reserve(cards.size());
    for (const auto& card : cards) {
        // The terminal's own search for the person: the 8 characters of InsurerNumber, as a list would send it.
        const std::string insurer = card.insurer.size() == 6 ? "  " + card.insurer : card.insurer;
        searches.push_back({insurer, card.symbol, card.number, card.branch, card.birth_date, "0", {}});
    }
    return searches;
}

}  // namespace mynasim::onshi
