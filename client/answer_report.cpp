#include "answer_report.hpp"

#include <map>

#include "client/exit_codes.hpp"
#include <string_view>

namespace mynasim::client {

namespace {

bool is_list(std::string_view name) {
    return name == "ResultList" || name == "SpecificDiseasesCertificateList" || name == "PublicExpenseResultList";
}

bool has_element_children(pugi::xml_node node) {
    for (const auto child : node.children())
        if (child.type() == pugi::node_element) return true;
    return false;
}

std::string text(const nlohmann::json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

}  // namespace

nlohmann::json xml_json(pugi::xml_node element) {
    if (is_list(element.name())) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto item : element.children())
            if (item.type() == pugi::node_element) list.push_back({{item.name(), xml_json(item)}});
        return list;
    }
    if (!has_element_children(element)) return element.child_value();
    nlohmann::json object = nlohmann::json::object();
    for (const auto child : element.children())
        if (child.type() == pugi::node_element && !object.contains(child.name())) object[child.name()] = xml_json(child);
    return object;
}

std::optional<AnswerError> report_xml_msg(pugi::xml_node xml_msg, Outcome& out) {
    auto& report = out.report;
    const nlohmann::json msg = xml_json(xml_msg);
    report["XmlMsg"] = msg;
    const nlohmann::json header = msg.value("MessageHeader", nlohmann::json::object());
    const nlohmann::json body = msg.contains("MessageBody") && msg["MessageBody"].is_object() ? msg["MessageBody"] : nlohmann::json::object();
    // Headline values at the top, those the answer has (an empty tag is an absent value).
    for (const char* key : {"SegmentOfResult", "QualificationConfirmationDate", "ReferenceClassification", "ArbitraryFileIdentifier"})
        if (!text(header, key).empty()) report[key] = text(header, key);
    for (const char* key : {"ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage", "QualificationValidity"})
        if (!text(body, key).empty()) report[key] = text(body, key);
    std::optional<AnswerError> error;
    if (text(header, "SegmentOfResult") != "1")
        error = AnswerError{"file", text(header, "ErrorCode"), text(header, "ErrorMessage")};
    else if (text(body, "ProcessingResultStatus") == "2")
        error = AnswerError{"person", text(body, "ProcessingResultCode"), text(body, "ProcessingResultMessage")};
    report["error_code"] = error ? error->code : "";
    report["error_level"] = error ? error->level : "";
    nlohmann::json qualifications = nlohmann::json::array();
    if (body.contains("ResultList") && body["ResultList"].is_array())
        for (const auto& item : body["ResultList"])
            if (item.contains("ResultOfQualificationConfirmation") && item["ResultOfQualificationConfirmation"].is_object())
                qualifications.push_back(item["ResultOfQualificationConfirmation"]);
    report["qualifications"] = qualifications;
    // The first (for validity 1: the only) qualification's values also at the top, as most callers want one.
    if (!qualifications.empty())
        for (const auto& [key, value] : qualifications.front().items())
            if (value.is_string() && !value.get<std::string>().empty()) report[key] = value;
    if (error) return error;

    const std::string validity = text(body, "QualificationValidity");
    static const std::map<std::string, std::string> meaning{{"1", "有効"}, {"2", "無効"}, {"3", "無効(新しい資格あり)"},
                                                            {"4", "該当資格なし"}, {"5", "複数該当"}, {"6", "有効(未登録)"}};
    out.lines.push_back("資格: " + validity + " " + (meaning.count(validity) ? meaning.at(validity) : std::string("?")) + " (" +
                        text(header, "QualificationConfirmationDate") + ")");
    if (!text(body, "ProcessingResultCode").empty())
        out.lines.push_back("  " + text(body, "ProcessingResultCode") + " " + text(body, "ProcessingResultMessage"));
    for (const auto& q : qualifications) {
        out.lines.push_back("  " + text(q, "Name") + " (" + text(q, "NameKana") + "), 性別 " + text(q, "Sex1") + ", 生年月日 " +
                            text(q, "Birthdate"));
        out.lines.push_back("  保険者 " + text(q, "InsurerNumber") + " " + text(q, "InsurerName") + ", 記号 " + text(q, "InsuredCardSymbol") +
                            " 番号 " + text(q, "InsuredIdentificationNumber") + " 枝番 " + text(q, "InsuredBranchNumber") + ", 有効 " +
                            text(q, "InsuredCardValidDate") + "–" + text(q, "InsuredCardExpirationDate"));
    }
    return std::nullopt;
}

int exit_code_for(const AnswerError& error) {
    if (error.code.rfind("OQS-E2", 0) == 0) return exit_code::certificate_rejected;
    if (error.code == "OQS-E3001") return exit_code::not_registered;
    return exit_code::server_refused;
}

const char* result_name(int code) {
    switch (code) {
    case exit_code::certificate_rejected: return "certificate_rejected";
    case exit_code::not_registered: return "not_registered";
    case exit_code::server_timeout: return "server_timeout";
    case exit_code::rejected: return "rejected";
    case exit_code::server_malformed: return "server_malformed";
    default: return "server_refused";
    }
}

}  // namespace mynasim::client
