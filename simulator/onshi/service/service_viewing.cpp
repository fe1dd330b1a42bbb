// The file interface's 薬剤情報 / 特定健診情報 files (docs/file-interface.md, "薬剤情報 and 特定健診情報"): a
// reception asks by the insurance card alone; what decides is the consent the patient gave at the reader on
// their latest visit (24 hours, the server's clock), as for the HTTP viewing calls.
#include "service.hpp"

#include <map>

#include "onshi/service/answer_builder.hpp"

namespace mynasim::onshi {

namespace {

constexpr const char* file_category_pdf = "2";  // FileCategory (MODELED table): the mock answers XML only

xmlmsg::AnswerHeader viewing_header(UnixTime now, const std::string& institution_code, const std::string& file_identifier,
                                    const std::string& charset_code) {
    auto header = answer_header(now, japan_date(now), institution_code, file_identifier, LookedUpBy::InsuranceCardNumbers, charset_code);
    header.reference_classification.clear();
    header.qualification_confirmation_date.clear();
    return header;
}

// The dispensations in [from, to] (either empty: open), by month and pharmacy, then by day (MODELED
// from the dataset's medications: each one a DrugInf of a 調剤 (DiOrg 3) record).
std::vector<xmlmsg::DrugMonth> drug_months(const std::vector<Medication>& medications, const std::string& from, const std::string& to) {
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<xmlmsg::DrugLine>>> grouped;
    for (const auto& m : medications) {
        if ((!from.empty() && m.dispensed_on < from) || (!to.empty() && m.dispensed_on > to)) continue;
        grouped[{m.dispensed_on.substr(0, 6), m.institution}][m.dispensed_on].push_back(
            xmlmsg::DrugLine{{}, m.quantity, {}, {}, {}, {}, {}, m.drug});
    }
    std::vector<xmlmsg::DrugMonth> months;
    for (auto& [key, days] : grouped) {
        xmlmsg::DrugMonth month;
        month.origin = "3";  // 調剤
        month.month = key.first;
        month.dispenser_name = key.second;
        for (auto& [day, drugs] : days) month.days.push_back(xmlmsg::DrugDay{day, {}, std::move(drugs)});
        months.push_back(std::move(month));
    }
    return months;
}

}  // namespace

xmlmsg::ViewingAnswer Service::viewing_file_error(const std::string& key, const xmlmsg::ViewingRequest* request, bool shift_jis) const {
    xmlmsg::ViewingAnswer answer;
    answer.header = viewing_header(clock_(), settings_.institution_code, request ? request->arbitrary_file_identifier : std::string(),
                                   charset_code(shift_jis));
    apply_file_error(answer.header, errors_.at(key));
    return answer;
}

xmlmsg::ViewingAnswer Service::answer_viewing(const xmlmsg::ViewingRequest& request, bool medications, bool shift_jis) {
    xmlmsg::ViewingAnswer answer;
    answer.header = viewing_header(clock_(), settings_.institution_code, request.arbitrary_file_identifier, charset_code(shift_jis));
    const auto refuse = [&](const std::string& key) {
        const auto& entry = errors_.at(key);
        answer.result_code = "2";
        answer.message_contents = entry.code + " " + entry.message;  // shown to staff as is
        return answer;
    };
    try {
        Store::Unit unit(store_, Store::Unit::Kind::Read);
        if (request.file_category == file_category_pdf) return refuse("pdf_not_served");
        const auto holder = store_.card_holder(request.insurer_number, request.insurance_card_symbol, request.insured_person_identification_number,
                                               request.branch_number, "");
        if (!holder) return refuse("card_not_found");
        std::string detail;
        if (const auto refusal = viewing_refusal(store_.latest_consent(holder->person.id), medications, detail); !refusal.empty())
            return refuse(refusal);
        answer.result_code = "1";
        answer.name = holder->person.name;
        answer.kana_name = holder->person.name_kana;
        answer.birth = holder->person.birth_date;
        answer.sex = holder->person.sex;
        if (medications) {
            answer.months = drug_months(store_.medications(holder->person.id), request.start_date, request.end_date);
        } else {
            for (const auto& c : store_.checkups(holder->person.id))
                answer.checkups.push_back(xmlmsg::CheckupItem{c.examined_on, {}, c.item, c.value, c.unit});
        }
        unit.commit();
        return answer;
    } catch (const std::exception&) {
        return viewing_file_error("internal_error", &request, shift_jis);
    }
}

}  // namespace mynasim::onshi
