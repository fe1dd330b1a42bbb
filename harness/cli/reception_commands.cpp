// mynasim reception: the reception system's (レセコン) side of the file interface (docs/file-interface.md).
#include <iostream>

#include "cli/commands.hpp"
#include "client/exit_codes.hpp"
#include "client/reception.hpp"
#include "base/file_io.hpp"
#include "onshi/wire/xml_msg.hpp"
#include "onshi/wire/finding_json.hpp"
#include "onshi/wire/request_check.hpp"

namespace mynasim::cli {

namespace {

namespace ec = client::exit_code;

constexpr const char* reception_exit_help =
    "Exit codes:\n"
    "   0 answered   2 bad arguments   30 certificate rejected   31 not registered   32 other error answer\n"
    "  33 the request could not be read (.err)   41 no answer (or no face file) within --timeout\n"
    "  42 an answer that is not an XmlMsg\n";

struct ReceptionOptions {
    std::string folder, id, file_identifier, date, institution = onshi::xmlmsg::test_institution_code, declare;
    unsigned timeout_ms = 30000;
    bool shift_jis = false, json = false;
};

void add_reception_options(CLI::App* command, ReceptionOptions& o) {
    command->add_option("--files", o.folder, "The interface's folder (the server's --files DIR), holding Req/, Res/ and Face/")->required();
    command->add_option("--timeout", o.timeout_ms, "Milliseconds to wait for the answer (or the face file)")->capture_default_str()
        ->check(CLI::Range(1u, 3600000u));
    command->add_flag("--json", o.json, "Print one JSON object instead of text");
    command->footer(reception_exit_help);
}

client::ReceptionSettings settings_of(const ReceptionOptions& o) {
    client::ReceptionSettings s;
    s.folder = o.folder;
    s.timeout = std::chrono::milliseconds(o.timeout_ms);
    s.shift_jis = o.shift_jis;
    s.id = o.id;
    s.file_identifier = o.file_identifier;
    s.institution_code = o.institution;
    s.declared_encoding = o.declare;
    return s;
}

int print(const client::Outcome& outcome, bool json) {
    if (json) {
        std::cout << outcome.report.dump(2) << std::endl;
    } else {
        for (const auto& line : outcome.lines) (outcome.exit_code == ec::ok ? std::cout : std::cerr) << line << "\n";
    }
    return outcome.exit_code;
}

int usage(const std::string& message, bool json) {
    client::Outcome outcome;
    outcome.exit_code = ec::usage;
    outcome.report = {{"result", "usage"}, {"exit_code", ec::usage}, {"message", message}, {"error_code", ""}};
    outcome.lines.push_back("mynasim reception: " + message);
    return print(outcome, json);
}

template <class Action>
void run(int& exit_code, bool json, Action&& action) {
    try {
        exit_code = print(action(), json);
    } catch (const std::invalid_argument& e) {
        exit_code = usage(e.what(), json);
    } catch (const std::exception& e) {
        std::cerr << "mynasim reception: " << e.what() << "\n";
        exit_code = exit_failed;
    }
}

}  // namespace

void add_reception_commands(CLI::App& app, int& exit_code) {
    auto* reception = app.add_subcommand("reception", "The reception system's side of the file interface: Req/ → Res/, Face/");
    reception->require_subcommand(1);

    auto o = std::make_shared<ReceptionOptions>();
    auto card = std::make_shared<client::InsuranceCardFields>();
    auto* confirm = reception->add_subcommand("confirm", "資格確認 by the insurance card's numbers: OQSsiquc01req → OQSsiquc01res");
    add_reception_options(confirm, *o);
    confirm->add_option("--insurer", card->insurer, "保険者番号 (a 6-digit 国保 number is sent right-aligned with spaces)")->required();
    confirm->add_option("--symbol", card->symbol, "記号");
    confirm->add_option("--number", card->number, "番号")->required();
    confirm->add_option("--branch", card->branch, "枝番")->required();
    confirm->add_option("--birthdate", card->birth_date, "生年月日 YYYYMMDD")->required();
    confirm->add_option("--id", o->id, "The <id> of the file names (default: UTC time and process id)");
    confirm->add_option("--file-id", o->file_identifier, "ArbitraryFileIdentifier (the server echoes it; the journal's tag)");
    confirm->add_option("--date", o->date, "QualificationConfirmationDate YYYYMMDD (default: the terminal's date)");
    confirm->add_option("--institution", o->institution, "MedicalInstitutionCode (the server's --institution)")->capture_default_str();
    confirm->add_flag("--shift-jis", o->shift_jis, "Write the request in Shift_JIS (the answer comes back in it)");
    confirm->add_option("--declare", o->declare, "Make the XML declaration name this encoding whatever the bytes are (to see what the terminal does with that mistake)");
    confirm->callback([o, card, &exit_code] { run(exit_code, o->json, [&] { return client::Reception(settings_of(*o)).confirm_by_card(*card, o->date); }); });

    auto f = std::make_shared<ReceptionOptions>();
    auto newest = std::make_shared<bool>(false);
    auto* face = reception->add_subcommand("face", "Wait for the next patient confirmed at the reader: the next file in Face/");
    add_reception_options(face, *f);
    face->add_flag("--newest", *newest, "Take the newest face file already there (wait only if there is none)");
    face->callback([f, newest, &exit_code] {
        run(exit_code, f->json, [&] { return client::Reception(settings_of(*f)).next_face(*newest); });
    });

    auto files = std::make_shared<std::vector<std::string>>();
    auto c = std::make_shared<ReceptionOptions>();
    auto* check = reception->add_subcommand("check", "Check request files as the server does (every finding, error or warning); no server needed");
    check->add_option("file", *files, "OQSsiquc01req_*.xml files")->required()->check(CLI::ExistingFile);
    check->add_option("--institution", c->institution, "The terminal's MedicalInstitutionCode")->capture_default_str();
    check->add_flag("--json", c->json, "Print one JSON object instead of text");
    check->footer("Exit codes: 0 every file is valid (warnings allowed), 1 a file has an error, 2 bad arguments");
    check->callback([files, c, &exit_code] {
        onshi::CheckSettings settings;
        settings.institution_code = c->institution;
        nlohmann::json report = nlohmann::json::array();
        exit_code = 0;
        for (const auto& file : *files) {
            const auto checked = onshi::check_single_request(read_file(file), settings);
            if (!c->json)
                for (const auto& finding : checked.findings) std::cout << file << ": " << onshi::describe(finding) << "\n";
            if (!checked.valid()) exit_code = 1;
            if (!c->json && checked.findings.empty()) std::cout << file << ": valid\n";
            report.push_back({{"file", file}, {"valid", checked.valid()}, {"findings", onshi::findings_json(checked.findings)}});
        }
        if (c->json) std::cout << report.dump(2) << std::endl;
    });
}

}  // namespace mynasim::cli
