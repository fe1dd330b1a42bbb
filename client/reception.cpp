#include "reception.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "base/file_io.hpp"
#include "base/zip_file.hpp"
#include "base/time.hpp"
#include "client/exit_codes.hpp"
#include "onshi/wire/charset.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/xml_msg_fields.hpp"
#include "onshi/wire/xml_msg_writer.hpp"
#include "onshi/wire/xml_text.hpp"

namespace mynasim::client {

namespace fs = std::filesystem;

namespace {

// The 8 characters of InsurerNumber: a 6-digit 国保 number right-aligned with spaces, as the file interface wants.
std::string insurer_field(const std::string& insurer) { return insurer.size() == 6 ? "  " + insurer : insurer; }

std::string default_id() { return format_compact_time(now_utc()) + "-" + std::to_string(::getpid()); }

void finish(Outcome& out, int code, const std::string& result, const std::string& message) {
    out.exit_code = code;
    out.report["result"] = result;
    out.report["exit_code"] = code;
    out.report["message"] = message;
    if (!out.report.contains("error_code")) out.report["error_code"] = "";
    if (code != exit_code::ok) out.lines.push_back(result + ": " + message);
}


// Reads an answer (or face) file into the outcome; false (and `out` says why) when it is no XmlMsg.
bool read_xml_msg(const std::string& bytes, const std::string& where, Outcome& out, pugi::xml_document& doc) {
    const auto utf8 = onshi::xml_as_utf8(bytes);
    if (!utf8 || !doc.load_string(utf8->c_str()) || !doc.child("XmlMsg")) {
        finish(out, exit_code::server_malformed, "server_malformed", where + " is not an XmlMsg: " + bytes.substr(0, 200));
        return false;
    }
    out.report["charset"] = onshi::is_shift_jis_name(onshi::declared_xml_encoding(bytes)) ? "Shift_JIS" : "UTF-8";
    return true;
}

// Ends the outcome with the answer's error, if it says one; true when it did.
bool finished_with_error(pugi::xml_node xml_msg, Outcome& out, int error_exit_code = -1) {
    const auto error = report_xml_msg(xml_msg, out);
    if (!error) return false;
    const int code = error_exit_code >= 0 ? error_exit_code : exit_code_for(*error);
    finish(out, code, result_name(code), error->code + " " + error->message + " (" + error->level + " level)");
    return true;
}

}  // namespace

InsuranceCardFields parse_card_fields(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
    if (!text.empty() && text.back() == ',') parts.emplace_back();
    if (parts.size() != 5 || parts[0].empty() || parts[2].empty() || parts[3].empty() || parts[4].empty())
        throw std::invalid_argument("--card takes INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE (SYMBOL may be empty), found '" + text + "'");
    return {parts[0], parts[1], parts[2], parts[3], parts[4]};
}

Reception::Reception(ReceptionSettings settings) : settings_(std::move(settings)) {
    if (settings_.id.empty()) settings_.id = default_id();
    requests_ = child_in_any_case(settings_.folder, onshi::request_folder);
    answers_ = child_in_any_case(settings_.folder, onshi::answer_folder);
    faces_ = child_in_any_case(settings_.folder, onshi::face_folder);
    if (!fs::is_directory(requests_))
        throw std::invalid_argument(settings_.folder.string() + "/" + onshi::request_folder +
                                    " is not a folder: is the server running with --files " + settings_.folder.string() + "?");
}

Outcome Reception::confirm_by_card(const InsuranceCardFields& card, const std::string& date) {
    Outcome out;
    out.report["action"] = "reception-confirm";
    onshi::xmlmsg::SingleRequest request;
    request.header.qualification_confirmation_date = date;
    request.header.medical_institution_code = settings_.institution_code;
    request.header.arbitrary_file_identifier = settings_.file_identifier;
    // The 8 characters of InsurerNumber: a 6-digit 国保 number right-aligned with spaces.
    request.search.insurer_number = insurer_field(card.insurer);
    request.search.insured_card_symbol = card.symbol;
    request.search.insured_identification_number = card.number;
    request.search.insured_branch_number = card.branch;
    request.search.birthdate = card.birth_date;
    request.search.limit_consent = "0";
    const auto names = onshi::single_request_name(settings_.id);
    pugi::xml_document doc;
    bool rejection = false;
    if (!exchange(names, onshi::xmlmsg::write_request(request, encoding()), Clock::now() + settings_.timeout, out, doc, rejection)) return out;
    if (rejection) {
        if (!finished_with_error(doc.child("XmlMsg"), out, exit_code::rejected))
            finish(out, exit_code::server_malformed, "server_malformed", names.rejection_name + " says no error");
        return out;
    }
    if (finished_with_error(doc.child("XmlMsg"), out)) return out;
    out.lines.insert(out.lines.begin(), "資格確認 OK (ファイル連携, 被保険者証情報)");
    finish(out, exit_code::ok, "ok", "");
    return out;
}

bool Reception::exchange(const onshi::FileRequestName& names, const std::string& text, Clock::time_point deadline, Outcome& out,
                         pugi::xml_document& doc, bool& rejection) const {
    write_request(names.request_name, text, encoding(), out);
    const auto found = await_answer(names, deadline, out);
    if (!found) return false;
    rejection = found->rejection;
    return read_xml_msg(found->bytes, found->name, out, doc);
}

void Reception::write_request(const std::string& name, std::string text, onshi::xmlmsg::Encoding encoding, Outcome& out) const {
    if (!settings_.declared_encoding.empty()) {
        const std::string truthful = onshi::xmlmsg::declaration(encoding);
        text.replace(0, truthful.size(), "<?xml version=\"1.0\" encoding=\"" + settings_.declared_encoding + "\" standalone=\"no\"?>\n");
    }
    write_file_atomically(requests_ / name, text);
    out.report["request_file"] = std::string(onshi::request_folder) + "/" + name;
}

namespace {

// The header values of a bulk answer at the top of the report, as the headline of the outcome.
void report_bulk_header(pugi::xml_node xml_msg, Outcome& out) {
    const auto header = xml_msg.child("MessageHeader");
    for (const char* key : {"SegmentOfResult", "ReceptionNumber", "ReceptionDateTime", "QualificationConfirmationDate", "ArbitraryFileIdentifier",
                            "NumberOfProcessingResult", "NumberOfNormalProcessing", "NumberOfError", "ErrorCode", "ErrorMessage"})
        if (const auto value = header.child(key); value && *value.child_value()) out.report[key] = value.child_value();
    const std::string segment = header.child_value("SegmentOfResult");
    out.report["error_code"] = segment == "9" ? header.child_value("ErrorCode") : "";
    out.report["error_level"] = segment == "9" ? "file" : "";
}

constexpr std::size_t units_reported = 1000;  // a report of 10,000 units would be megabytes: the first 1000, and the counts

}  // namespace

Outcome Reception::submit_bulk(const BulkSubmission& submission) {
    Outcome out;
    out.report["action"] = "reception-bulk-submit";
    out.report["family"] = std::string(onshi::bulk_family_code(submission.family));
    onshi::xmlmsg::BulkRequest request;
    request.header.qualification_confirmation_date = submission.date;
    request.header.medical_institution_code = settings_.institution_code;
    request.header.arbitrary_file_identifier = settings_.file_identifier;
    for (std::size_t i = 0; i < submission.cards.size(); ++i) {
        const auto& card = submission.cards[i];
        if (submission.family == onshi::BulkFamily::ReferenceNumbers)
            request.registrations.push_back({insurer_field(card.insurer), card.symbol, card.number, card.branch, card.birth_date,
                                             i < submission.reference_numbers.size() ? submission.reference_numbers[i] : std::string(), {}});
        else
            request.searches.push_back({insurer_field(card.insurer), card.symbol, card.number, card.branch, card.birth_date, "0", {}});
    }
    request.range = submission.range;
    if (request.range.medical_treatment_flag.empty())
        request.range.medical_treatment_flag = submission.family == onshi::BulkFamily::HomeVisit ? "2"
                                               : submission.family == onshi::BulkFamily::Online  ? "3"
                                                                                                 : "";
    out.report["persons_sent"] = request.searches.size() + request.registrations.size();
    const auto names = onshi::bulk_request_name(submission.family, onshi::RequestKind::BulkSubmission, settings_.id);
    const bool range = submission.family != onshi::BulkFamily::List && submission.family != onshi::BulkFamily::ReferenceNumbers;
    pugi::xml_document doc;
    bool rejection = false;
    if (!exchange(names, onshi::xmlmsg::write_bulk_request(request, range, encoding()), Clock::now() + settings_.timeout, out, doc, rejection))
        return out;
    const auto xml_msg = doc.child("XmlMsg");
    report_bulk_header(xml_msg, out);
    const std::string segment = xml_msg.child("MessageHeader").child_value("SegmentOfResult");
    if (rejection || segment != "1") {
        const auto code = out.report.value("error_code", std::string());
        finish(out, rejection ? exit_code::rejected : exit_code::server_refused, rejection ? "rejected" : "server_refused",
               code + " " + xml_msg.child("MessageHeader").child_value("ErrorMessage") + " (file level)");
        return out;
    }
    const std::string number = xml_msg.child("MessageHeader").child_value("ReceptionNumber");
    if (number.empty()) {
        finish(out, exit_code::server_malformed, "server_malformed", names.answer_name + " holds no ReceptionNumber");
        return out;
    }
    out.lines.insert(out.lines.begin(), "一括照会 受付 " + number + " (" + std::string(onshi::bulk_family_title(submission.family)) +
                                            (range ? "" : ", " + std::to_string(request.searches.size() + request.registrations.size()) + " 件") + ")");
    finish(out, exit_code::ok, "ok", "");
    return out;
}

Outcome Reception::register_reference(const InsuranceCardFields& card, const std::string& reference_number) {
    Outcome out;
    out.report["action"] = "reception-reference";
    onshi::xmlmsg::ReferenceRequest request;
    request.header.medical_institution_code = settings_.institution_code;
    request.header.arbitrary_file_identifier = settings_.file_identifier;
    request.registration = {insurer_field(card.insurer), card.symbol, card.number, card.branch, card.birth_date, reference_number, {}};
    const auto names = onshi::reference_request_name(settings_.id);
    pugi::xml_document doc;
    bool rejection = false;
    if (!exchange(names, onshi::xmlmsg::write_reference_request(request, encoding()), Clock::now() + settings_.timeout, out, doc, rejection))
        return out;
    const auto body = doc.child("XmlMsg").child("MessageBody");
    out.report["ReferenceNumber"] = body.child(onshi::xmlmsg::ReferenceNumberRegistrationInfo).child_value("ReferenceNumber");
    // The same two levels as a 資格確認 answer: the file's error in the header, the person's in the body.
    const auto header = doc.child("XmlMsg").child("MessageHeader");
    out.report["SegmentOfResult"] = header.child_value("SegmentOfResult");
    out.report["ProcessingResultStatus"] = body.child_value("ProcessingResultStatus");
    std::optional<AnswerError> error;
    if (rejection || std::string(header.child_value("SegmentOfResult")) != "1")
        error = AnswerError{"file", header.child_value("ErrorCode"), header.child_value("ErrorMessage")};
    else if (std::string(body.child_value("ProcessingResultStatus")) != "1")
        error = AnswerError{"person", body.child_value("ProcessingResultCode"), body.child_value("ProcessingResultMessage")};
    out.report["error_code"] = error ? error->code : "";
    out.report["error_level"] = error ? error->level : "";
    if (error) {
        const int code = rejection ? exit_code::rejected : exit_code_for(*error);
        finish(out, code, result_name(code), error->code + " " + error->message + " (" + error->level + " level)");
        return out;
    }
    out.lines.insert(out.lines.begin(), "照会番号 登録 OK: " + reference_number);
    finish(out, exit_code::ok, "ok", "");
    return out;
}

Outcome Reception::view_by_card(bool medications, const onshi::xmlmsg::ViewingRequest& asked) {
    Outcome out;
    out.report["action"] = medications ? "reception-medications" : "reception-checkups";
    auto request = asked;
    request.medical_institution_code = settings_.institution_code;
    request.arbitrary_file_identifier = settings_.file_identifier;
    request.insurer_number = insurer_field(request.insurer_number);
    const auto names = onshi::viewing_request_name(medications ? onshi::ViewingKind::Medications : onshi::ViewingKind::Checkups, settings_.id);
    pugi::xml_document doc;
    bool rejection = false;
    if (!exchange(names, onshi::xmlmsg::write_viewing_request(request, encoding()), Clock::now() + settings_.timeout, out, doc, rejection))
        return out;
    const auto header = doc.child("XmlMsg").child("MessageHeader");
    const auto body = doc.child("XmlMsg").child("MessageBody");
    for (const char* key : {"SegmentOfResult", "ResultCode", "MessageContents", "ArbitraryFileIdentifier", "ErrorCode", "ErrorMessage"})
        if (*header.child_value(key)) out.report[key] = header.child_value(key);
    for (const char* key : {"Name", "KanaName", "Birth", "Sex"})
        if (*header.child("QuaInf").child_value(key)) out.report[key] = header.child("QuaInf").child_value(key);
    const std::string segment = header.child_value("SegmentOfResult");
    if (rejection || segment != "1") {
        out.report["error_code"] = header.child_value("ErrorCode");
        out.report["error_level"] = "file";
        finish(out, rejection ? exit_code::rejected : exit_code::server_refused, rejection ? "rejected" : "server_refused",
               std::string(header.child_value("ErrorCode")) + " " + header.child_value("ErrorMessage") + " (file level)");
        return out;
    }
    if (std::string(header.child_value("ResultCode")) != "1") {
        const std::string contents = header.child_value("MessageContents");
        out.report["error_code"] = contents.substr(0, contents.find(' '));  // the mock's MessageContents start with its code
        out.report["error_level"] = "person";
        finish(out, exit_code::server_refused, "server_refused", contents.empty() ? "ResultCode is not 1 and no MessageContents" : contents);
        return out;
    }
    nlohmann::json items = nlohmann::json::array();
    if (medications) {
        for (const auto month : body.children("MeTrMonthInf"))
            for (const auto day : month.child("DiDateInfs").children("DiDateInf"))
                for (const auto drug : day.child("DrugInfs").children("DrugInf"))
                    items.push_back({{"MeTrMonth", month.child_value("MeTrMonth")},
                                     {"MeTrDiHNm", month.child_value("MeTrDiHNm")},
                                     {"DiDate", day.child_value("DiDate")},
                                     {"DrugN", drug.child_value("DrugN")},
                                     {"Qua1", drug.child_value("Qua1")}});
        out.report["drugs"] = items;
    } else {
        for (const auto item : body.children("SpecificHealthCheckupInfo")) items.push_back(xml_json(item));
        out.report["checkups"] = items;
    }
    out.report["error_code"] = "";
    out.lines.insert(out.lines.begin(), std::string(medications ? "薬剤情報" : "特定健診情報") + " OK (ファイル連携): " + out.report.value("Name", "") + ", " +
                                            std::to_string(items.size()) + " 件");
    for (const auto& item : items)
        out.lines.push_back("  " + (medications ? item.value("DiDate", "") + " " + item.value("DrugN", "") + " " + item.value("Qua1", "") + " (" +
                                                      item.value("MeTrDiHNm", "") + ")"
                                                : item.value("EffectiveTime", "") + " " + item.value("ItemName", "") + " " +
                                                      item.value("DataValueName", "") + " " + item.value("Unit", "")));
    finish(out, exit_code::ok, "ok", "");
    return out;
}

std::string Reception::reception_number_of(onshi::BulkFamily family, const std::string& id) const {
    // Step 1's answer of that <id>: the family's, else another family's (a reception may ask the wrong one).
    std::vector<onshi::BulkFamily> families{family};
    for (const auto other : onshi::every_bulk_family())
        if (other != family) families.push_back(other);
    for (const auto candidate : families) {
        const auto names = onshi::bulk_request_name(candidate, onshi::RequestKind::BulkSubmission, id);
        const auto bytes = read_file_if_exists(answers_ / names.answer_name);
        if (!bytes) continue;
        pugi::xml_document doc;
        const auto utf8 = onshi::xml_as_utf8(*bytes);
        const std::string number = utf8 && doc.load_string(utf8->c_str()) ? doc.child("XmlMsg").child("MessageHeader").child_value("ReceptionNumber") : "";
        if (number.empty()) throw std::invalid_argument(std::string(onshi::answer_folder) + "/" + names.answer_name + " holds no ReceptionNumber");
        return number;
    }
    throw std::invalid_argument("no step 1 with the <id> '" + id + "' was answered (no " + std::string(onshi::answer_folder) + "/OQSmu…01res_" + id + ".xml)");
}

Outcome Reception::fetch_bulk(onshi::BulkFamily family, const std::string& reception_number, std::optional<std::chrono::milliseconds> retry_every) {
    Outcome out;
    out.report["action"] = "reception-bulk-result";
    out.report["family"] = std::string(onshi::bulk_family_code(family));
    const auto deadline = Clock::now() + settings_.timeout;
    onshi::xmlmsg::BulkResultRequest request;
    request.header.medical_institution_code = settings_.institution_code;
    request.header.arbitrary_file_identifier = settings_.file_identifier;
    request.reception_number = reception_number;
    for (int ask = 1;; ++ask) {
        // Every ask is a new request (its own <id>): an answer in Res is never taken for a later ask.
        const std::string id = ask == 1 ? settings_.id : settings_.id + "-" + std::to_string(ask);
        const auto names = onshi::bulk_request_name(family, onshi::RequestKind::BulkResult, id);
        out.report["asks"] = ask;
        pugi::xml_document doc;
        bool rejection = false;
        if (!exchange(names, onshi::xmlmsg::write_bulk_result_request(request, encoding()), deadline, out, doc, rejection)) return out;
        const auto xml_msg = doc.child("XmlMsg");
        report_bulk_header(xml_msg, out);
        const std::string segment = xml_msg.child("MessageHeader").child_value("SegmentOfResult");
        if (rejection || segment == "9") {
            finish(out, rejection ? exit_code::rejected : exit_code::server_refused, rejection ? "rejected" : "server_refused",
                   out.report.value("error_code", std::string()) + " " + xml_msg.child("MessageHeader").child_value("ErrorMessage") + " (file level)");
            return out;
        }
        if (segment == "2") {
            if (!retry_every || Clock::now() + *retry_every >= deadline) {
                finish(out, exit_code::bulk_pending, "bulk_pending",
                       "SegmentOfResult 2 (処理中): " + reception_number + " is not ready; send the result request again later");
                return out;
            }
            std::this_thread::sleep_for(*retry_every);
            continue;
        }
        if (segment != "1") {
            finish(out, exit_code::server_malformed, "server_malformed", names.answer_name + ": SegmentOfResult '" + segment + "'");
            return out;
        }
        nlohmann::json units = nlohmann::json::array();
        std::size_t count = 0;
        for (const auto unit : xml_msg.child("MessageBody").children("BulkConfirmUnit")) {
            if (++count > units_reported) continue;
            nlohmann::json u = nlohmann::json::object();
            for (const char* key : {"InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber", "InsuredBranchNumber", "Birthdate"})
                u[key] = unit.child("QualificationConfirmSearchInfo").child_value(key);
            for (const char* key : {"ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage", "QualificationValidity", "ReferenceNumber"})
                u[key] = unit.child_value(key);
            nlohmann::json results = nlohmann::json::array();
            for (const auto q : unit.children("ResultOfQualificationConfirmation")) results.push_back(xml_json(q));
            if (!results.empty())
                for (const char* key : {"Name", "NameKana", "InsuredCardClassification", "InsuredCardExpirationDate", "InsurerName"})
                    u[key] = results.front().value(key, "");
            u["qualifications"] = std::move(results);
            units.push_back(std::move(u));
        }
        for (const auto unit : xml_msg.child("MessageBody").children(onshi::xmlmsg::ReferenceNumberRegistrationUnit)) {
            if (++count > units_reported) continue;
            nlohmann::json u = nlohmann::json::object();
            for (const char* key : {"InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber", "InsuredBranchNumber", "Birthdate",
                                    "ReferenceNumber"})
                u[key] = unit.child(onshi::xmlmsg::ReferenceNumberRegistrationInfo).child_value(key);
            for (const char* key : {"ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage"}) u[key] = unit.child_value(key);
            units.push_back(std::move(u));
        }
        out.report["units"] = std::move(units);
        out.report["units_in_answer"] = count;
        out.report["units_truncated"] = count > units_reported;
        const auto said = out.report.value("NumberOfProcessingResult", std::string());
        if (said != std::to_string(count)) {
            finish(out, exit_code::server_malformed, "server_malformed",
                   names.answer_name + ": NumberOfProcessingResult '" + said + "' but " + std::to_string(count) + " BulkConfirmUnit");
            return out;
        }
        out.lines.insert(out.lines.begin(), "一括照会 結果 " + reception_number + ": " + said + " 件 (正常 " +
                                                out.report.value("NumberOfNormalProcessing", std::string()) + ", エラー " +
                                                out.report.value("NumberOfError", std::string()) + ")");
        finish(out, exit_code::ok, "ok", "");
        return out;
    }
}

std::optional<Reception::Arrived> Reception::await_answer(const onshi::FileRequestName& names, Clock::time_point deadline, Outcome& out) const {
    for (;;) {
        if (auto rejection = read_file_if_exists(answers_ / names.rejection_name)) {
            out.report["answer_file"] = std::string(onshi::answer_folder) + "/" + names.rejection_name;
            return Arrived{names.rejection_name, std::move(*rejection), true};
        }
        if (auto answer = read_file_if_exists(answers_ / names.answer_name)) {
            out.report["answer_file"] = std::string(onshi::answer_folder) + "/" + names.answer_name;
            return Arrived{names.answer_name, std::move(*answer), false};
        }
        if (!names.zip_answer_name.empty()) {
            try {
                if (auto entry = read_zip_entry(answers_ / names.zip_answer_name, ".xml")) {
                    out.report["answer_file"] = std::string(onshi::answer_folder) + "/" + names.zip_answer_name;
                    out.report["zip_entry"] = entry->name;
                    return Arrived{entry->name, std::move(entry->content), false};
                }
            } catch (const std::exception& e) {
                finish(out, exit_code::server_malformed, "server_malformed", e.what());
                return std::nullopt;
            }
        }
        if (Clock::now() >= deadline) {
            finish(out, exit_code::server_timeout, "server_timeout",
                   "no answer in " + std::string(onshi::answer_folder) + " within " + std::to_string(settings_.timeout.count()) + " ms (" +
                       names.answer_name + ")");
            return std::nullopt;
        }
        std::this_thread::sleep_for(settings_.poll_interval);
    }
}

Outcome Reception::next_face(bool newest) {
    Outcome out;
    out.report["action"] = "reception-face";
    std::set<std::string> before;  // what is there already is not the next patient (unless the newest is asked for)
    std::error_code ec;
    if (!newest)
        for (const auto& entry : fs::directory_iterator(faces_, ec)) before.insert(entry.path().filename().string());
    const auto deadline = Clock::now() + settings_.timeout;
    for (;;) {
        std::vector<std::string> fresh;
        for (const auto& entry : fs::directory_iterator(faces_, ec)) {
            const std::string name = entry.path().filename().string();
            if (!before.count(name) && !onshi::is_partial_file_name(name) && name.size() > 4 && name.substr(name.size() - 4) == ".xml")
                fresh.push_back(name);
        }
        if (!fresh.empty()) {
            // Names end with the time (yyyyMMddHHmmss) after the last '_': order by it, then by name.
            const auto stamp = [](const std::string& n) { return n.substr(n.rfind('_') + 1); };
            std::sort(fresh.begin(), fresh.end(), [&](const std::string& a, const std::string& b) {
                return stamp(a) != stamp(b) ? stamp(a) < stamp(b) : a < b;
            });
            const std::string name = newest ? fresh.back() : fresh.front();
            // Read until two reads agree: the terminal may still be writing it.
            std::optional<std::string> text = read_file_if_exists(faces_ / name), again;
            while (text && (again = read_file_if_exists(faces_ / name)) != text) {
                text = again;
                std::this_thread::sleep_for(settings_.poll_interval);
            }
            if (!text) continue;
            out.report["face_file"] = std::string(onshi::face_folder) + "/" + name;
            pugi::xml_document doc;
            if (!read_xml_msg(*text, name, out, doc)) return out;
            if (finished_with_error(doc.child("XmlMsg"), out)) return out;
            out.lines.insert(out.lines.begin(), "資格確認 OK (顔認証付きカードリーダー: " + name + ")");
            finish(out, exit_code::ok, "ok", "");
            return out;
        }
        if (Clock::now() >= deadline) {
            finish(out, exit_code::server_timeout, "server_timeout",
                   "no new face file in " + std::string(onshi::face_folder) + " within " + std::to_string(settings_.timeout.count()) + " ms");
            return out;
        }
        std::this_thread::sleep_for(settings_.poll_interval);
    }
}

}  // namespace mynasim::client
