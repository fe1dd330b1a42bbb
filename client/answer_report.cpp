#include "answer_report.hpp"

#include <map>

namespace mynasim::client {

namespace {

// The answer elements of one qualification, in the order of ../shared/spec/onshi.md.
const char* const qualification_fields[] = {
    "Name", "NameKana", "Sex1", "Birthdate", "InsurerNumber", "InsurerName", "InsuredCardSymbol",
    "InsuredIdentificationNumber", "InsuredBranchNumber", "InsuredCardClassification", "PersonalFamilyClassification",
    "InsuredCardValidDate", "InsuredCardExpirationDate", "QualificationDate", "InsuredPartialContributionRatio"};

}  // namespace

nlohmann::json qualification_json(pugi::xml_node root) {
    nlohmann::json report = nlohmann::json::object();
    for (const char* name : {"ArbitraryFileIdentifier", "ConfirmationId", "ConfirmationDate", "QualificationValidity", "ErrorCode", "ErrorMessage"})
        if (root.child(name)) report[name] = root.child_value(name);
    nlohmann::json list = nlohmann::json::array();
    for (auto item : root.child("ResultList").children("ResultOfQualificationConfirmation")) {
        nlohmann::json q = nlohmann::json::object();
        for (const char* name : qualification_fields) q[name] = item.child_value(name);
        list.push_back(q);
    }
    report["qualifications"] = list;
    if (!list.empty())
        for (auto& [key, value] : list.front().items()) report[key] = value;
    return report;
}

void report_qualifications(pugi::xml_node root, Outcome& out) {
    const nlohmann::json answer = qualification_json(root);
    for (const char* name : {"ConfirmationId", "ConfirmationDate", "QualificationValidity"}) out.report[name] = root.child_value(name);
    // The first (for validity 1: the only) qualification's fields also at the top, as most callers want one.
    for (auto& [key, value] : answer.items())
        if (key != "ArbitraryFileIdentifier" && key != "ErrorCode" && key != "ErrorMessage") out.report[key] = value;
    const auto& list = answer["qualifications"];
    const std::string validity = root.child_value("QualificationValidity");
    static const std::map<std::string, std::string> meaning{{"1", "有効"}, {"2", "無効"}, {"3", "無効(新しい資格あり)"},
                                                            {"4", "該当資格なし"}, {"5", "複数該当"}, {"6", "有効(未登録: 医療扶助)"}};
    out.lines.push_back("資格: " + validity + " " + (meaning.count(validity) ? meaning.at(validity) : std::string("?")) +
                        " (ConfirmationId " + root.child_value("ConfirmationId") + ", " + root.child_value("ConfirmationDate") + ")");
    for (const auto& q : list) {
        out.lines.push_back("  " + q["Name"].get<std::string>() + " (" + q["NameKana"].get<std::string>() + "), 性別 " +
                            q["Sex1"].get<std::string>() + ", 生年月日 " + q["Birthdate"].get<std::string>());
        out.lines.push_back("  保険者 " + q["InsurerNumber"].get<std::string>() + " " + q["InsurerName"].get<std::string>() + ", 記号 " +
                            q["InsuredCardSymbol"].get<std::string>() + " 番号 " + q["InsuredIdentificationNumber"].get<std::string>() +
                            " 枝番 " + q["InsuredBranchNumber"].get<std::string>() + ", 有効 " +
                            q["InsuredCardValidDate"].get<std::string>() + "–" + q["InsuredCardExpirationDate"].get<std::string>());
    }
}

}  // namespace mynasim::client
