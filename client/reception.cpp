#include "reception.hpp"

#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "base/file_io.hpp"
#include "base/time.hpp"
#include "client/exit_codes.hpp"
#include "onshi/wire/xml_text.hpp"

namespace mynasim::client {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string default_id() { return format_compact_time(now_utc()) + "-" + std::to_string(::getpid()); }

void write_request(const fs::path& folder, const std::string& name, const std::string& content) {
    fs::create_directories(folder);
    write_file_atomically(folder / name, content);  // the watcher sees the whole file or nothing
}

void add_card(pugi::xml_node parent, const InsuranceCardFields& card) {
    onshi::add_element(parent, "InsurerNumber", card.insurer);
    if (!card.symbol.empty()) onshi::add_element(parent, "InsuredCardSymbol", card.symbol);
    onshi::add_element(parent, "InsuredIdentificationNumber", card.number);
    onshi::add_element(parent, "InsuredBranchNumber", card.branch);
    onshi::add_element(parent, "Birthdate", card.birth_date);
}

void finish(Outcome& out, int code, const std::string& result, const std::string& message) {
    out.exit_code = code;
    out.report["result"] = result;
    out.report["exit_code"] = code;
    out.report["message"] = message;
    if (!out.report.contains("error_code")) out.report["error_code"] = "";
    if (code != exit_code::ok) out.lines.push_back(result + ": " + message);
}

// An answer's error → exit code, as the reference client maps the HTTP API's.
int code_for_error(const std::string& error_code) {
    if (error_code.rfind("OQS-E2", 0) == 0) return exit_code::certificate_rejected;
    if (error_code == "OQS-E3001") return exit_code::not_registered;
    return exit_code::server_refused;
}

const char* result_for(int code) {
    switch (code) {
    case exit_code::certificate_rejected: return "certificate_rejected";
    case exit_code::not_registered: return "not_registered";
    case exit_code::server_timeout: return "server_timeout";
    default: return "server_refused";
    }
}

// An error answer ends the outcome with its code; false when the answer is a result.
bool finished_with_error(pugi::xml_node answer_root, Outcome& out) {
    const std::string error = answer_root.child_value("ErrorCode");
    if (error.empty()) return false;
    out.report["error_code"] = error;
    // Nobody came to the reader (OQS-E7001) is a timeout, like an answer that never came.
    const int code = error == "OQS-E7001" ? exit_code::server_timeout : code_for_error(error);
    finish(out, code, result_for(code), error + " " + answer_root.child_value("ErrorMessage"));
    return true;
}

// Waits for Res/<answer> or Res/<rejection>; for a bulk answer, until it is final (SegmentOfResult not 2).
// Fills `out` from the answer's root; returns that root (empty when out already says why not).
pugi::xml_node await_answer(const ReceptionSettings& settings, const std::string& answer_name, const std::string& rejection_name,
                            const char* root_name, pugi::xml_document& doc, Outcome& out) {
    const fs::path answers = settings.folder / "Res";
    const auto deadline = Clock::now() + settings.timeout;
    int polls = 0;
    bool seen_processing = false;
    for (;;) {
        if (auto rejection = read_file_if_exists(answers / rejection_name)) {
            out.report["answer_file"] = (answers / rejection_name).string();
            const auto utf8 = onshi::xml_as_utf8(*rejection).value_or(*rejection);
            pugi::xml_document err;
            const auto root = err.load_string(utf8.c_str()) ? err.first_child() : pugi::xml_node();
            out.report["error_code"] = root ? root.child_value("ErrorCode") : "";
            finish(out, exit_code::rejected, "rejected",
                   root ? std::string(root.child_value("ErrorCode")) + " " + root.child_value("ErrorMessage") + " (" +
                              root.child_value("ErrorDetail") + ")"
                        : "the request was rejected: " + utf8.substr(0, 300));
            return {};
        }
        if (auto answer = read_file_if_exists(answers / answer_name)) {
            out.report["answer_file"] = (answers / answer_name).string();
            const auto utf8 = onshi::xml_as_utf8(*answer);
            const bool parsed = utf8 && doc.load_string(utf8->c_str());
            const auto root = parsed ? doc.child(root_name) : pugi::xml_node();
            if (!root) {
                finish(out, exit_code::server_malformed, "server_malformed",
                       (answers / answer_name).string() + " is not a " + root_name + ": " + answer->substr(0, 200));
                return {};
            }
            if (std::string(root.child_value("SegmentOfResult")) != "2") {
                out.report["polls"] = polls;
                out.report["charset"] = answer->rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\"", 0) == 0 ? "Shift_JIS" : "UTF-8";
                return root;
            }
            if (!seen_processing) out.lines.push_back("processing (SegmentOfResult 2): polling " + answer_name);
            seen_processing = true;
            ++polls;
        }
        if (Clock::now() >= deadline) {
            finish(out, exit_code::server_timeout, "server_timeout",
                   std::string(seen_processing ? "no final answer" : "no answer") + " in " + answers.string() + " within " +
                       std::to_string(settings.timeout.count()) + " ms (" + answer_name + ")");
            return {};
        }
        std::this_thread::sleep_for(settings.poll_interval);
    }
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
    if (!fs::is_directory(settings_.folder / "Req"))
        throw std::invalid_argument(settings_.folder.string() + "/Req is not a folder: is the server running with --files " +
                                    settings_.folder.string() + "?");
}

pugi::xml_node Reception::start_request(pugi::xml_document& request, bool bulk) const {
    auto root = request.append_child(bulk ? "BulkQualificationConfirmationRequest" : "QualificationConfirmationRequest");
    onshi::add_element(root, "ArbitraryFileIdentifier", settings_.file_identifier);
    onshi::add_element(root, "CharacterCodeIdentifier", settings_.shift_jis ? "1" : "0");
    return root;
}

pugi::xml_node Reception::submit(const pugi::xml_document& request, bool bulk, pugi::xml_document& answer, Outcome& out) const {
    const std::string kind = bulk ? "OQSmuquc01" : "OQSsiquc01";
    const std::string name = kind + "req_" + settings_.id + ".xml";
    write_request(settings_.folder / "Req", name, onshi::render_xml(request, settings_.shift_jis));
    out.report["request_file"] = (settings_.folder / "Req" / name).string();
    return await_answer(settings_, kind + "res_" + settings_.id + ".xml", kind + "res_" + settings_.id + ".err",
                        bulk ? "BulkQualificationConfirmationResponse" : "QualificationConfirmationResponse", answer, out);
}

Outcome Reception::confirm_by_card(const InsuranceCardFields& card, const std::string& date) {
    Outcome out;
    out.report["action"] = "reception-confirm";
    pugi::xml_document request;
    auto root = start_request(request, false);
    if (!date.empty()) onshi::add_element(root, "ConfirmationDate", date);
    add_card(root, card);
    pugi::xml_document answer;
    const auto answer_root = submit(request, false, answer, out);
    if (!answer_root || finished_with_error(answer_root, out)) return out;
    out.lines.push_back("資格確認 OK (ファイル連携, 保険証)");
    report_qualifications(answer_root, out);
    finish(out, exit_code::ok, "ok", "");
    return out;
}

Outcome Reception::wait_for_reader(int wait_seconds) {
    Outcome out;
    out.report["action"] = "reception-reader";
    pugi::xml_document request;
    auto root = start_request(request, false);
    onshi::add_element(root, "Mode", "reader");
    onshi::add_element(root, "WaitSeconds", std::to_string(wait_seconds));
    pugi::xml_document answer;
    const auto answer_root = submit(request, false, answer, out);
    if (!answer_root) return out;
    out.report["reader_mode"] = answer_root.child_value("Mode");
    out.report["face"] = answer_root.child_value("FaceResult");
    if (finished_with_error(answer_root, out)) return out;
    out.lines.push_back(std::string("資格確認 OK (カードリーダー: ") + answer_root.child_value("Mode") + " " + answer_root.child_value("FaceResult") + ")");
    report_qualifications(answer_root, out);
    finish(out, exit_code::ok, "ok", "");
    return out;
}

Outcome Reception::bulk(const std::vector<InsuranceCardFields>& cards, const std::string& date) {
    Outcome out;
    out.report["action"] = "reception-bulk";
    pugi::xml_document request;
    auto root = start_request(request, true);
    if (!date.empty()) onshi::add_element(root, "ConfirmationDate", date);
    for (std::size_t i = 0; i < cards.size(); ++i) {
        auto item = root.append_child("QualificationConfirmationRequest");
        onshi::add_element(item, "ArbitraryFileIdentifier", std::to_string(i + 1));
        add_card(item, cards[i]);
    }
    pugi::xml_document answer;
    const auto answer_root = submit(request, true, answer, out);
    if (!answer_root) return out;
    nlohmann::json results = nlohmann::json::array();
    std::size_t found = 0;
    for (auto item : answer_root.child("ResultList").children("QualificationConfirmationResponse")) {
        auto entry = qualification_json(item);
        if (!item.child("ErrorCode")) ++found;
        const std::string label = std::string(item.child_value("ArbitraryFileIdentifier")) + ": ";
        if (item.child("ErrorCode"))
            out.lines.push_back(label + item.child_value("ErrorCode") + " " + item.child_value("ErrorMessage"));
        else if (!entry["qualifications"].empty())
            out.lines.push_back(label + entry["Name"].get<std::string>() + " " + entry["InsurerNumber"].get<std::string>() + " 資格 " +
                                entry["QualificationValidity"].get<std::string>());
        results.push_back(entry);
    }
    out.report["results"] = results;
    out.report["RequestCount"] = answer_root.child_value("RequestCount");
    if (results.size() != cards.size()) {
        finish(out, exit_code::server_malformed, "server_malformed",
               "the bulk answer holds " + std::to_string(results.size()) + " results for " + std::to_string(cards.size()) + " requests");
        return out;
    }
    out.lines.insert(out.lines.begin(), "一括照会: " + std::to_string(found) + " of " + std::to_string(cards.size()) + " found");
    finish(out, exit_code::ok, "ok", "");
    return out;
}

}  // namespace mynasim::client
