// mynasim reception: the reception system's (レセコン) side of the file interface (docs/file-interface.md).
#include <iostream>
#include <filesystem>
#include <sstream>

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
    "  33 the request could not be read (.err)   34 a bulk result is not ready yet (SegmentOfResult 2)\n"
    "  41 no answer (or no face file) within --timeout\n"
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

struct BulkOptions {
    std::string family = "quc", cards_file, reception_number, of;
    std::vector<std::string> cards, registrations;
    unsigned retry_ms = 1000;
    bool until_ready = false;
    client::BulkSubmission submission;
};

onshi::BulkFamily family_of(const BulkOptions& b) {
    const auto family = onshi::bulk_family_named(b.family);
    if (!family) throw std::invalid_argument("--family must be quc, hvq, onq or tic, found '" + b.family + "'");
    return *family;
}

// The submission the options describe: --card and --cards FILE (one card a line; # starts a comment).
client::BulkSubmission submission_of(const BulkOptions& b, const std::string& date) {
    auto submission = b.submission;
    submission.family = family_of(b);
    submission.date = date;
    for (const auto& card : b.cards) submission.cards.push_back(client::parse_card_fields(card));
    if (!b.cards_file.empty()) {
        std::istringstream lines(read_file(b.cards_file));
        std::size_t number = 0;
        for (std::string line; std::getline(lines, line);) {
            ++number;
            if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
            while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
            if (line.empty()) continue;
            try {
                submission.cards.push_back(client::parse_card_fields(line));
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(b.cards_file + ":" + std::to_string(number) + ": " + e.what());
            }
        }
    }
    for (const auto& registration : b.registrations) {  // INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE,REFERENCE
        const auto comma = registration.rfind(',');
        if (comma == std::string::npos) throw std::invalid_argument("--registration takes INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE,REFERENCE, found '" + registration + "'");
        submission.cards.push_back(client::parse_card_fields(registration.substr(0, comma)));
        submission.reference_numbers.push_back(registration.substr(comma + 1));
    }
    const bool list = submission.family == onshi::BulkFamily::List, registering = submission.family == onshi::BulkFamily::ReferenceNumbers;
    if (registering && (!b.cards.empty() || !b.cards_file.empty())) throw std::invalid_argument("the 照会番号 family (imm) takes --registration, not --card");
    if (!registering && !b.registrations.empty()) throw std::invalid_argument("--registration is for the 照会番号 family (--family imm)");
    if ((list || registering) && submission.cards.empty())
        throw std::invalid_argument(list ? "the list family (quc) needs --card or --cards" : "the 照会番号 family (imm) needs --registration");
    if (!list && !registering && !submission.cards.empty())
        throw std::invalid_argument("--card and --cards are for the list family (quc); " + b.family + " searches by dates");
    return submission;
}

void add_submission_options(CLI::App* command, BulkOptions& b, ReceptionOptions& o) {
    command->add_option("--family", b.family, "quc 資格確認 (a list), hvq 訪問診療, onq オンライン診療, tic 医療扶助, imm 照会番号登録 (a list)")
        ->capture_default_str();
    command->add_option("--registration", b.registrations, "INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE,REFERENCE: one 照会番号 registration (imm; repeat)");
    command->add_option("--card", b.cards, "INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE (repeat for each person)");
    command->add_option("--cards", b.cards_file, "A file of cards, one INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE a line")->check(CLI::ExistingFile);
    command->add_option("--consent-from", b.submission.range.consent_date_from, "ConsentDateFrom YYYYMMDD (hvq, onq)");
    command->add_option("--consent-to", b.submission.range.consent_date_to, "ConsentDateTo YYYYMMDD");
    command->add_option("--examination-from", b.submission.range.examination_date_from, "ExaminationDateFrom YYYYMMDD (onq)");
    command->add_option("--examination-to", b.submission.range.examination_date_to, "ExaminationDateTo YYYYMMDD");
    command->add_option("--month", b.submission.range.medical_treatment_month, "MedicalTreatmentMonth YYYYMM (tic)");
    command->add_option("--treatment", b.submission.range.medical_treatment_flag, "MedicalTreatmentFlag (default: the family's: hvq 2, onq 3)");
    command->add_option("--date", o.date, "QualificationConfirmationDate YYYYMMDD (default: the terminal's date)");
}

void add_request_options(CLI::App* command, ReceptionOptions& o) {
    command->add_option("--id", o.id, "The <id> of the file names (default: UTC time and process id)");
    command->add_option("--file-id", o.file_identifier, "ArbitraryFileIdentifier (the server echoes it; the journal's tag)");
    command->add_option("--institution", o.institution, "MedicalInstitutionCode (the server's --institution)")->capture_default_str();
    command->add_flag("--shift-jis", o.shift_jis, "Write the request in Shift_JIS (the answer comes back in it)");
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

    auto so = std::make_shared<ReceptionOptions>();
    auto sb = std::make_shared<BulkOptions>();
    auto* submit = reception->add_subcommand("bulk-submit", "Bulk step 1: a list of cards (or a family's dates) → …01res with its ReceptionNumber");
    add_reception_options(submit, *so);
    add_request_options(submit, *so);
    add_submission_options(submit, *sb, *so);
    submit->callback([so, sb, &exit_code] {
        run(exit_code, so->json, [&] { return client::Reception(settings_of(*so)).submit_bulk(submission_of(*sb, so->date)); });
    });

    auto ro = std::make_shared<ReceptionOptions>();
    auto rb = std::make_shared<BulkOptions>();
    auto* result = reception->add_subcommand("bulk-result", "Bulk step 2: …02req by ReceptionNumber → …02res (.xml or .zip)");
    add_reception_options(result, *ro);
    add_request_options(result, *ro);
    result->add_option("--family", rb->family, "quc, hvq, onq, tic or imm (as in step 1)")->capture_default_str();
    auto* by_number = result->add_option("--reception-number", rb->reception_number, "The ReceptionNumber of step 1's answer");
    result->add_option("--of", rb->of, "Read the ReceptionNumber from step 1's answer of this <id> (Res/…01res_<id>.xml)")->excludes(by_number);
    result->add_flag("--until-ready", rb->until_ready, "Ask again (a new request each time) while the answer is SegmentOfResult 2");
    result->add_option("--retry", rb->retry_ms, "Milliseconds between asks with --until-ready")->capture_default_str()->check(CLI::Range(10u, 600000u));
    result->callback([ro, rb, &exit_code] {
        run(exit_code, ro->json, [&] {
            client::Reception desk(settings_of(*ro));
            const auto family = family_of(*rb);
            if (rb->reception_number.empty() && rb->of.empty()) throw std::invalid_argument("give --reception-number or --of");
            const std::string number = rb->of.empty() ? rb->reception_number : desk.reception_number_of(family, rb->of);
            std::optional<std::chrono::milliseconds> retry;
            if (rb->until_ready) retry = std::chrono::milliseconds(rb->retry_ms);
            return desk.fetch_bulk(family, number, retry);
        });
    });

    auto bo = std::make_shared<ReceptionOptions>();
    auto bb = std::make_shared<BulkOptions>();
    auto* bulk = reception->add_subcommand("bulk", "Both bulk steps: step 1, then step 2 asked again until the result is ready (or --timeout)");
    add_reception_options(bulk, *bo);
    add_request_options(bulk, *bo);
    add_submission_options(bulk, *bb, *bo);
    bulk->add_option("--retry", bb->retry_ms, "Milliseconds between asks of step 2")->capture_default_str()->check(CLI::Range(10u, 600000u));
    bulk->callback([bo, bb, &exit_code] {
        run(exit_code, bo->json, [&] {
            client::Reception desk(settings_of(*bo));
            const auto submission = submission_of(*bb, bo->date);
            auto accepted = desk.submit_bulk(submission);
            if (accepted.exit_code != ec::ok) return accepted;
            auto done = desk.fetch_bulk(submission.family, accepted.report["ReceptionNumber"].get<std::string>(),
                                        std::chrono::milliseconds(bb->retry_ms));
            done.report["action"] = "reception-bulk";
            done.report["ReceptionDateTime"] = accepted.report.value("ReceptionDateTime", "");
            done.report["persons_sent"] = accepted.report["persons_sent"];
            done.report["submission_file"] = accepted.report["request_file"];
            done.lines.insert(done.lines.begin(), accepted.lines.begin(), accepted.lines.end());
            return done;
        });
    });

    auto fo = std::make_shared<ReceptionOptions>();
    auto reference_card = std::make_shared<client::InsuranceCardFields>();
    auto reference_number = std::make_shared<std::string>();
    auto* reference = reception->add_subcommand("reference", "照会番号 registration: OQSsiimm01req → OQSsiimm01res (later answers carry it as ReferenceNumber)");
    add_reception_options(reference, *fo);
    add_request_options(reference, *fo);
    reference->add_option("--insurer", reference_card->insurer, "保険者番号")->required();
    reference->add_option("--symbol", reference_card->symbol, "記号");
    reference->add_option("--number", reference_card->number, "番号")->required();
    reference->add_option("--branch", reference_card->branch, "枝番")->required();
    reference->add_option("--birthdate", reference_card->birth_date, "生年月日 YYYYMMDD")->required();
    reference->add_option("--reference-number", *reference_number, "照会番号: the institution's number for the patient")->required();
    reference->callback([fo, reference_card, reference_number, &exit_code] {
        run(exit_code, fo->json, [&] { return client::Reception(settings_of(*fo)).register_reference(*reference_card, *reference_number); });
    });

    for (const bool medications : {true, false}) {
        auto vo = std::make_shared<ReceptionOptions>();
        auto request = std::make_shared<onshi::xmlmsg::ViewingRequest>();
        request->file_category = "1";
        request->pr_di_inf_classification = "1";
        request->medical_treatment_flag = "1";
        auto* view = reception->add_subcommand(medications ? "medications" : "checkups",
                                               medications ? "薬剤情報 by the insurance card: YZKsiquc01req → YZKsiquc01res (on the consent given at the reader)"
                                                           : "特定健診情報 by the insurance card: TKKsiquc01req → TKKsiquc01res (on the consent given at the reader)");
        add_reception_options(view, *vo);
        add_request_options(view, *vo);
        view->add_option("--insurer", request->insurer_number, "保険者番号 (a 6-digit 国保 number is sent right-aligned with spaces)")->required();
        view->add_option("--symbol", request->insurance_card_symbol, "記号 (InsuranceCardSymbol)");
        view->add_option("--number", request->insured_person_identification_number, "番号 (InsuredPersonIdentificationNumber)")->required();
        view->add_option("--branch", request->branch_number, "枝番 (BranchNumber)")->required();
        if (medications) {
            view->add_option("--from", request->start_date, "StartDate YYYYMMDD");
            view->add_option("--to", request->end_date, "EndDate YYYYMMDD");
        }
        view->add_option("--file-category", request->file_category, "FileCategory: 1 XML, 2 PDF (MODELED; the mock answers XML only)")->capture_default_str();
        view->add_option("--classification", request->pr_di_inf_classification, "PrDiInfClassification")->capture_default_str();
        view->add_option("--treatment", request->medical_treatment_flag, "MedicalTreatmentFlag of the visit (OQSCD028)")->capture_default_str();
        view->callback([vo, request, medications, &exit_code] {
            run(exit_code, vo->json, [&] { return client::Reception(settings_of(*vo)).view_by_card(medications, *request); });
        });
    }

    auto files = std::make_shared<std::vector<std::string>>();
    auto c = std::make_shared<ReceptionOptions>();
    auto* check = reception->add_subcommand("check", "Check request files as the server does (every finding, error or warning); no server needed");
    check->add_option("file", *files, "Request files; checked as what their name says (OQSmuquc01req_…, YZKsiquc01req_…), else as OQSsiquc01req")
        ->required()->check(CLI::ExistingFile);
    check->add_option("--institution", c->institution, "The terminal's MedicalInstitutionCode")->capture_default_str();
    check->add_flag("--json", c->json, "Print one JSON object instead of text");
    check->footer("Exit codes: 0 every file is valid (warnings allowed), 1 a file has an error, 2 bad arguments");
    check->callback([files, c, &exit_code] {
        onshi::CheckSettings settings;
        settings.institution_code = c->institution;
        nlohmann::json report = nlohmann::json::array();
        exit_code = 0;
        for (const auto& file : *files) {
            // The name says what the file must be (a bulk step, a viewing request); any other name: a single request.
            const auto name = onshi::parse_request_file_name(std::filesystem::path(file).filename().string());
            const auto checked = name ? onshi::check_request(read_file(file), settings, name->kind, name->family, name->viewing)
                                      : onshi::check_single_request(read_file(file), settings);
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
