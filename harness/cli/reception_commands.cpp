// mynasim reception: the reception system's (レセコン) side of the file interface (docs/onshi-files.md).
#include <iostream>

#include "cli/commands.hpp"
#include "client/exit_codes.hpp"
#include "client/reception.hpp"

namespace mynasim::cli {

namespace {

namespace ec = client::exit_code;

constexpr const char* reception_exit_help =
    "Exit codes:\n"
    "   0 answered (a bulk request: every item answered, found or not)\n"
    "   2 bad arguments   30 certificate rejected   31 not registered   32 other error answer\n"
    "  33 the request was rejected (.err)   41 no (final) answer within --timeout, or nobody at the reader\n"
    "  42 an answer that is not the interface's XML\n";

struct ReceptionOptions {
    std::string folder, id, file_identifier, date;
    unsigned timeout_ms = 30000;
    bool shift_jis = false, json = false;
};

void add_reception_options(CLI::App* command, ReceptionOptions& o) {
    command->add_option("--files", o.folder, "The interface's folder (the server's --files DIR), holding Req/ and Res/")->required();
    command->add_option("--id", o.id, "The <id> of the file names (default: UTC time and process id)");
    command->add_option("--file-id", o.file_identifier, "ArbitraryFileIdentifier (the server echoes it; the journal's tag)");
    command->add_option("--date", o.date, "ConfirmationDate YYYYMMDD (default: the server's date)");
    command->add_option("--timeout", o.timeout_ms, "Milliseconds to wait for the (final) answer")->capture_default_str()
        ->check(CLI::Range(1u, 3600000u));
    command->add_flag("--shift-jis", o.shift_jis, "Write the request in Shift_JIS and ask for a Shift_JIS answer");
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

}  // namespace

void add_reception_commands(CLI::App& app, int& exit_code) {
    auto* reception = app.add_subcommand("reception", "The reception system's side of the file interface: Req/ → Res/");
    reception->require_subcommand(1);

    auto o = std::make_shared<ReceptionOptions>();
    auto card = std::make_shared<client::InsuranceCardFields>();
    auto reader = std::make_shared<bool>(false);
    auto wait_seconds = std::make_shared<int>(300);
    auto* confirm = reception->add_subcommand("confirm", "One confirmation: by insurance card, or wait for the patient at the reader (--reader)");
    add_reception_options(confirm, *o);
    confirm->add_option("--insurer", card->insurer, "保険者番号");
    confirm->add_option("--symbol", card->symbol, "記号");
    confirm->add_option("--number", card->number, "番号");
    confirm->add_option("--branch", card->branch, "枝番");
    confirm->add_option("--birthdate", card->birth_date, "生年月日 YYYYMMDD");
    confirm->add_flag("--reader", *reader, "Wait for the next confirmation made at the card reader (Mode reader)");
    confirm->add_option("--wait-seconds", *wait_seconds, "With --reader: how long the server waits (WaitSeconds)")
        ->capture_default_str()->check(CLI::Range(1, 3600));
    confirm->callback([o, card, reader, wait_seconds, &exit_code] {
        try {
            const bool by_card = !card->insurer.empty() || !card->number.empty() || !card->branch.empty() || !card->birth_date.empty();
            if (by_card == *reader) throw std::invalid_argument("choose the insurance card (--insurer, --number, --branch, --birthdate) or --reader");
            if (by_card && (card->insurer.empty() || card->number.empty() || card->branch.empty() || card->birth_date.empty()))
                throw std::invalid_argument("the insurance card needs --insurer, --number, --branch and --birthdate");
            auto settings = settings_of(*o);
            // The file must outlive the server's wait, or the reception gives up first.
            if (*reader && o->timeout_ms < static_cast<unsigned>(*wait_seconds) * 1000u + 5000u)
                settings.timeout = std::chrono::milliseconds(*wait_seconds * 1000 + 5000);
            client::Reception desk(settings);
            exit_code = print(*reader ? desk.wait_for_reader(*wait_seconds) : desk.confirm_by_card(*card, o->date), o->json);
        } catch (const std::invalid_argument& e) {
            exit_code = usage(e.what(), o->json);
        } catch (const std::exception& e) {
            std::cerr << "mynasim reception: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });

    auto b = std::make_shared<ReceptionOptions>();
    auto cards = std::make_shared<std::vector<std::string>>();
    auto* bulk = reception->add_subcommand("bulk", "A bulk request (OQSmuquc01req): answered SegmentOfResult 2 first, polled until final");
    add_reception_options(bulk, *b);
    bulk->add_option("--card", *cards, "INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE (repeat for each person)")->required();
    bulk->callback([b, cards, &exit_code] {
        try {
            std::vector<client::InsuranceCardFields> list;
            for (const auto& text : *cards) list.push_back(client::parse_card_fields(text));
            client::Reception desk(settings_of(*b));
            exit_code = print(desk.bulk(list, b->date), b->json);
        } catch (const std::invalid_argument& e) {
            exit_code = usage(e.what(), b->json);
        } catch (const std::exception& e) {
            std::cerr << "mynasim reception: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
