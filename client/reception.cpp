#include "reception.hpp"

#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "base/file_io.hpp"
#include "base/time.hpp"
#include "client/exit_codes.hpp"
#include "onshi/wire/element_names.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/xml_text.hpp"

namespace mynasim::client {

namespace fs = std::filesystem;
namespace element = onshi::element;

namespace {

using Clock = std::chrono::steady_clock;

std::string default_id() { return format_compact_time(now_utc()) + "-" + std::to_string(::getpid()); }

void write_request(const fs::path& folder, const std::string& name, const std::string& content) {
    fs::create_directories(folder);
    write_file_atomically(folder / name, content);  // the watcher sees the whole file or nothing
}

void add_card(onshi::XmlWriter& request, const InsuranceCardFields& card) {
    request.element(element::InsurerNumber, card.insurer);
    if (!card.symbol.empty()) request.element(element::InsuredCardSymbol, card.symbol);
    request.element(element::InsuredIdentificationNumber, card.number)
        .element(element::InsuredBranchNumber, card.branch)
        .element(element::Birthdate, card.birth_date);
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
    const std::string error = answer_root.child_value(element::ErrorCode);
    if (error.empty()) return false;
    out.report["error_code"] = error;
    // Nobody came to the reader (OQS-E7001) is a timeout, like an answer that never came.
    const int code = error == "OQS-E7001" ? exit_code::server_timeout : code_for_error(error);
    finish(out, code, result_for(code), error + " " + answer_root.child_value(element::ErrorMessage));
    return true;
}

// Waits for Res/<answer> or Res/<rejection>; for a bulk answer, until it is final (SegmentOfResult not 2).
// Fills `out` from the answer's root; returns that root (empty when out already says why not).
pugi::xml_node await_answer(const ReceptionSettings& settings, const std::string& answer_name, const std::string& rejection_name,
                            const char* root_name, pugi::xml_document& doc, Outcome& out) {
    const fs::path answers = settings.folder / onshi::answer_folder;
    const auto deadline = Clock::now() + settings.timeout;
    int polls = 0;
    bool seen_processing = false;
    for (;;) {
        if (auto rejection = read_file_if_exists(answers / rejection_name)) {
            out.report["answer_file"] = (answers / rejection_name).string();
            const auto utf8 = onshi::xml_as_utf8(*rejection).value_or(*rejection);
            pugi::xml_document err;
            const auto root = err.load_string(utf8.c_str()) ? err.first_child() : pugi::xml_node();
            out.report["error_code"] = root ? root.child_value(element::ErrorCode) : "";
            finish(out, exit_code::rejected, "rejected",
                   root ? std::string(root.child_value(element::ErrorCode)) + " " + root.child_value(element::ErrorMessage) + " (" +
                              root.child_value(element::ErrorDetail) + ")"
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
            if (std::string(root.child_value(element::SegmentOfResult)) != "2") {
                out.report["polls"] = polls;
                out.report["charset"] = onshi::is_shift_jis_document(*answer) ? "Shift_JIS" : "UTF-8";
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
    if (!fs::is_directory(settings_.folder / onshi::request_folder))
        throw std::invalid_argument(settings_.folder.string() + "/" + onshi::request_folder +
                                    " is not a folder: is the server running with --files " + settings_.folder.string() + "?");
}

onshi::XmlWriter Reception::start_request(bool bulk) const {
    onshi::XmlWriter request(bulk ? element::BulkQualificationConfirmationRequest : element::QualificationConfirmationRequest);
    request.element(element::ArbitraryFileIdentifier, settings_.file_identifier)
        .element(element::CharacterCodeIdentifier, settings_.shift_jis ? "1" : "0");
    return request;
}

pugi::xml_node Reception::submit(onshi::XmlWriter& request, bool bulk, pugi::xml_document& answer, Outcome& out) const {
    const auto names = onshi::file_request_name(bulk ? onshi::FileRequestKind::Bulk : onshi::FileRequestKind::Single, settings_.id);
    const fs::path requests = settings_.folder / onshi::request_folder;
    write_request(requests, names.request_name, request.finish(settings_.shift_jis));
    out.report["request_file"] = (requests / names.request_name).string();
    return await_answer(settings_, names.answer_name, names.rejection_name,
                        bulk ? element::BulkQualificationConfirmationResponse : element::QualificationConfirmationResponse, answer, out);
}

Outcome Reception::confirm_by_card(const InsuranceCardFields& card, const std::string& date) {
    Outcome out;
    out.report["action"] = "reception-confirm";
    auto request = start_request(false);
    if (!date.empty()) request.element(element::ConfirmationDate, date);
    add_card(request, card);
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
    auto request = start_request(false);
    request.element(element::Mode, "reader").element(element::WaitSeconds, std::to_string(wait_seconds));
    pugi::xml_document answer;
    const auto answer_root = submit(request, false, answer, out);
    if (!answer_root) return out;
    out.report["reader_mode"] = answer_root.child_value(element::Mode);
    out.report["face"] = answer_root.child_value(element::FaceResult);
    if (finished_with_error(answer_root, out)) return out;
    out.lines.push_back(std::string("資格確認 OK (カードリーダー: ") + answer_root.child_value(element::Mode) + " " +
                        answer_root.child_value(element::FaceResult) + ")");
    report_qualifications(answer_root, out);
    finish(out, exit_code::ok, "ok", "");
    return out;
}

Outcome Reception::bulk(const std::vector<InsuranceCardFields>& cards, const std::string& date) {
    Outcome out;
    out.report["action"] = "reception-bulk";
    auto request = start_request(true);
    if (!date.empty()) request.element(element::ConfirmationDate, date);
    for (std::size_t i = 0; i < cards.size(); ++i) {
        request.open(element::QualificationConfirmationRequest).element(element::ArbitraryFileIdentifier, std::to_string(i + 1));
        add_card(request, cards[i]);
        request.close();
    }
    pugi::xml_document answer;
    const auto answer_root = submit(request, true, answer, out);
    if (!answer_root) return out;
    nlohmann::json results = nlohmann::json::array();
    std::size_t found = 0;
    for (auto item : answer_root.child(element::ResultList).children(element::QualificationConfirmationResponse)) {
        auto entry = qualification_json(item);
        if (!item.child(element::ErrorCode)) ++found;
        const std::string label = std::string(item.child_value(element::ArbitraryFileIdentifier)) + ": ";
        if (item.child(element::ErrorCode))
            out.lines.push_back(label + item.child_value(element::ErrorCode) + " " + item.child_value(element::ErrorMessage));
        else if (!entry["qualifications"].empty())
            out.lines.push_back(label + entry["Name"].get<std::string>() + " " + entry["InsurerNumber"].get<std::string>() + " 資格 " +
                                entry["QualificationValidity"].get<std::string>());
        results.push_back(entry);
    }
    out.report["results"] = results;
    out.report["RequestCount"] = answer_root.child_value(element::RequestCount);
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
