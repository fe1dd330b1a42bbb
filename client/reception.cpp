#include "reception.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "base/file_io.hpp"
#include "base/time.hpp"
#include "client/exit_codes.hpp"
#include "onshi/wire/charset.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/xml_msg_writer.hpp"
#include "onshi/wire/xml_text.hpp"

namespace mynasim::client {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

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
    request.search.insurer_number = card.insurer.size() == 6 ? "  " + card.insurer : card.insurer;
    request.search.insured_card_symbol = card.symbol;
    request.search.insured_identification_number = card.number;
    request.search.insured_branch_number = card.branch;
    request.search.birthdate = card.birth_date;
    request.search.limit_consent = "0";
    const auto names = onshi::single_request_name(settings_.id);
    const auto encoding = settings_.shift_jis ? onshi::xmlmsg::Encoding::ShiftJis : onshi::xmlmsg::Encoding::Utf8;
    std::string text = onshi::xmlmsg::write_request(request, encoding);
    if (!settings_.declared_encoding.empty()) {
        const std::string truthful = onshi::xmlmsg::declaration(encoding);
        text.replace(0, truthful.size(), "<?xml version=\"1.0\" encoding=\"" + settings_.declared_encoding + "\" standalone=\"no\"?>\n");
    }
    write_file_atomically(requests_ / names.request_name, text);
    out.report["request_file"] = std::string(onshi::request_folder) + "/" + names.request_name;

    const auto deadline = Clock::now() + settings_.timeout;
    for (;;) {
        if (auto rejection = read_file_if_exists(answers_ / names.rejection_name)) {
            out.report["answer_file"] = std::string(onshi::answer_folder) + "/" + names.rejection_name;
            pugi::xml_document doc;
            if (!read_xml_msg(*rejection, names.rejection_name, out, doc)) return out;
            if (!finished_with_error(doc.child("XmlMsg"), out, exit_code::rejected))
                finish(out, exit_code::server_malformed, "server_malformed", names.rejection_name + " says no error");
            return out;
        }
        if (auto answer = read_file_if_exists(answers_ / names.answer_name)) {
            out.report["answer_file"] = std::string(onshi::answer_folder) + "/" + names.answer_name;
            pugi::xml_document doc;
            if (!read_xml_msg(*answer, names.answer_name, out, doc)) return out;
            if (finished_with_error(doc.child("XmlMsg"), out)) return out;
            out.lines.insert(out.lines.begin(), "資格確認 OK (ファイル連携, 被保険者証情報)");
            finish(out, exit_code::ok, "ok", "");
            return out;
        }
        if (Clock::now() >= deadline) {
            finish(out, exit_code::server_timeout, "server_timeout",
                   "no answer in " + std::string(onshi::answer_folder) + " within " + std::to_string(settings_.timeout.count()) + " ms (" +
                       names.answer_name + ")");
            return out;
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
