// mynasim client: the reference マイナンバーカード処理ソフト (client/), over PC/SC and HTTP(S).
#include <map>
#include <iostream>

#include "cli/commands.hpp"
#include "client/exit_codes.hpp"
#include "client/pcsc_channel.hpp"
#include "client/reference_client.hpp"
#include "pki/authorities.hpp"

namespace mynasim::cli {

namespace {

namespace ec = client::exit_code;

constexpr const char* exit_code_help =
    "Exit codes:\n"
    "   0 success\n"
    "   2 bad arguments\n"
    "  10 wrong PIN (pin_tries_left in the output)   11 PIN locked (no VERIFY sent)\n"
    "  12 the card has no PIN (顔認証マイナンバーカード: use --pinless; no VERIFY sent)\n"
    "  20 no PC/SC service or no reader   21 no card   22 card removed mid-transaction\n"
    "  23 card did not answer in time   24 not a My Number card   25 card refused a command\n"
    "  30 certificate rejected by the server (OQS-E2xxx)   31 not registered (初回登録, OQS-E3001)\n"
    "  32 other error answer (error_code, message)\n"
    "  40 server unreachable   41 server timeout   42 malformed server answer\n";

struct CommonOptions {
    std::string reader;
    std::string server = "http://127.0.0.1:8420";
    std::string ca, client_cert, client_key;
    unsigned timeout_ms = 10000, card_timeout_ms = 10000;
    bool json = false;
    std::string file_identifier;
};

struct ModeOptions {
    std::string pin;
    bool pinless = false;
    std::string face;
    std::string insurer, symbol, number, branch, birthdate;
    std::string treatment;  // the visit's kind (MedicalTreatmentFlag), by name
};

// MedicalTreatmentFlag (OQSCD028) and OQSCD016 consent values by the names the options take.
const std::map<std::string, std::string> treatment_codes{{"outpatient", "1"}, {"home", "2"}, {"online", "3"}, {"emergency", "4"}};
const std::map<std::string, std::string> consent_codes{{"no", "0"}, {"yes", "1"}, {"expired", "2"}, {"difficult", "3"}};

void add_common(CLI::App* command, CommonOptions& o) {
    command->add_option("--reader", o.reader, "PC/SC reader name (default: the first reader with a card)");
    command->add_option("--server", o.server, "Mock server URL, http(s)://HOST:PORT")->capture_default_str();
    command->add_option("--ca", o.ca, "HTTPS: CA file the server's certificate must chain to")->check(CLI::ExistingFile);
    command->add_option("--client-cert", o.client_cert, "HTTPS: our client certificate (PEM)")->check(CLI::ExistingFile);
    command->add_option("--client-key", o.client_key, "HTTPS: its private key (PEM)")->check(CLI::ExistingFile);
    command->add_option("--timeout", o.timeout_ms, "Milliseconds per server call")->capture_default_str()->check(CLI::Range(1u, 600000u));
    command->add_option("--card-timeout", o.card_timeout_ms, "Milliseconds the card may take per command")
        ->capture_default_str()->check(CLI::Range(1u, 600000u));
    command->add_option("--id", o.file_identifier, "ArbitraryFileIdentifier to send (echoed by the server)");
    command->add_flag("--json", o.json, "Print one JSON object instead of text");
    command->footer(exit_code_help);
}

void add_modes(CLI::App* command, ModeOptions& m, bool card_path_allowed) {
    command->add_option("--pin", m.pin, "暗証番号入力: the 4-digit auth PIN");
    command->add_flag("--pinless", m.pinless, "PIN無し: after the face check (--face), with 特定機関認証; sends no VERIFY");
    command->add_option("--face", m.face, "PIN無し: matched (顔認証 by the reader) or visual (目視 by staff)")
        ->check(CLI::IsMember({"matched", "visual"}));
    command->add_option("--treatment", m.treatment,
                        "The visit (MedicalTreatmentFlag): outpatient (1 外来, the default), home (2 訪問診療等), online (3 オンライン診療等), "
                        "emergency (4 救急時)")
        ->check(CLI::IsMember({"outpatient", "home", "online", "emergency"}));
    if (!card_path_allowed) return;
    command->add_option("--insurer", m.insurer, "保険証: 保険者番号");
    command->add_option("--symbol", m.symbol, "保険証: 記号");
    command->add_option("--number", m.number, "保険証: 番号");
    command->add_option("--branch", m.branch, "保険証: 枝番");
    command->add_option("--birthdate", m.birthdate, "保険証: 生年月日 YYYYMMDD");
}

// The order from the options; throws std::invalid_argument naming what is missing or wrong.
client::ConfirmationOrder order_from(const ModeOptions& m, bool card_path_allowed) {
    client::ConfirmationOrder order;
    const bool card_path = !m.insurer.empty() || !m.number.empty() || !m.branch.empty() || !m.birthdate.empty() || !m.symbol.empty();
    const int modes = (m.pin.empty() ? 0 : 1) + (m.pinless ? 1 : 0) + (card_path ? 1 : 0);
    if (modes != 1)
        throw std::invalid_argument(card_path_allowed ? "choose one of --pin NNNN, --pinless --face matched|visual, or the insurance card (--insurer …)"
                                                      : "choose one of --pin NNNN or --pinless --face matched|visual");
    if (!m.pin.empty()) {
        if (m.pin.size() != 4 || m.pin.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("--pin must be 4 digits (checked before the card is touched: a malformed PIN costs no try)");
        order.mode = client::Mode::Pin;
        order.pin = m.pin;
    } else if (m.pinless) {
        if (m.face.empty()) throw std::invalid_argument("--pinless needs --face matched (顔認証) or --face visual (目視)");
        order.mode = client::Mode::Pinless;
        order.face = m.face;
    } else {
        if (m.insurer.empty() || m.number.empty() || m.branch.empty() || m.birthdate.empty())
            throw std::invalid_argument("the insurance card path needs --insurer, --number, --branch and --birthdate (--symbol if the card has one)");
        order.mode = client::Mode::InsuranceCard;
        order.card = {m.insurer, m.symbol, m.number, m.branch, m.birthdate};
    }
    if (!m.treatment.empty()) order.treatment = treatment_codes.at(m.treatment);
    return order;
}

client::ReferenceClient make_client(const CommonOptions& o) {
    client::ClientSettings settings;
    const std::string reader = o.reader;
    const auto card_timeout = std::chrono::milliseconds(o.card_timeout_ms);
    settings.open_card = [reader, card_timeout] { return std::make_unique<client::PcscChannel>(reader, card_timeout); };
    settings.server.url = o.server;
    settings.server.ca_file = o.ca;
    settings.server.client_certificate = o.client_cert;
    settings.server.client_key = o.client_key;
    settings.server.timeout = std::chrono::milliseconds(o.timeout_ms);
    // The reader's 特定機関 credential: the TEST one, issued by the test PKI's 特定機関 CA.
    const pki::TestPki pki;
    auto institution = pki.institution_certificate();
    settings.institution_certificate = institution.der;
    settings.institution_key = institution.key;
    return client::ReferenceClient(std::move(settings));
}

int print(const client::Outcome& outcome, const CommonOptions& o) {
    if (o.json) {
        std::cout << outcome.report.dump(2) << std::endl;
    } else {
        for (const auto& line : outcome.lines) (outcome.exit_code == ec::ok ? std::cout : std::cerr) << line << "\n";
    }
    return outcome.exit_code;
}

int usage_error(const std::string& message, const CommonOptions& o) {
    client::Outcome outcome;
    outcome.exit_code = ec::usage;
    outcome.report = {{"result", "usage"}, {"exit_code", ec::usage}, {"message", message}, {"error_code", ""}};
    outcome.lines.push_back("mynasim client: " + message);
    return print(outcome, o);
}

}  // namespace

void add_client_commands(CLI::App& app, int& exit_code) {
    auto* client_command = app.add_subcommand("client", "The reference マイナンバーカード処理ソフト: the card over PC/SC, the mock server over HTTP(S)");
    client_command->require_subcommand(1);
    client_command->footer(exit_code_help);

    for (const bool registration : {false, true}) {
        auto common = std::make_shared<CommonOptions>();
        auto modes = std::make_shared<ModeOptions>();
        auto* command = client_command->add_subcommand(
            registration ? "register" : "confirm",
            registration ? "健康保険証利用の申込 (初回登録) by PIN or PIN無し, then the qualification"
                         : "資格確認: by PIN (暗証番号入力), PIN無し (--pinless --face …) or insurance card (--insurer …)");
        add_common(command, *common);
        add_modes(command, *modes, !registration);
        command->callback([common, modes, registration, &exit_code] {
            try {
                auto order = order_from(*modes, !registration);
                order.registration = registration;
                order.file_identifier = common->file_identifier;
                exit_code = print(make_client(*common).confirm(order), *common);
            } catch (const std::invalid_argument& e) {
                exit_code = usage_error(e.what(), *common);
            }
        });
    }

    for (const bool medications : {true, false}) {
        auto common = std::make_shared<CommonOptions>();
        auto modes = std::make_shared<ModeOptions>();
        auto consent = std::make_shared<std::string>();
        auto confirmation_id = std::make_shared<std::string>();
        auto* command = client_command->add_subcommand(
            medications ? "medications" : "checkups",
            medications ? "薬剤情報閲覧: confirm (with the consent given at the reader), then read the medication history"
                        : "特定健診情報閲覧: confirm (with the consent given at the reader), then read the checkup results");
        add_common(command, *common);
        add_modes(command, *modes, true);
        command->add_option("--consent", *consent,
                            "The consent recorded at the reader (OQSCD016): yes (1 同意あり), no (0 同意なし), expired (2 同意有効期限切れ: "
                            "訪問/オンライン only), difficult (3 同意取得困難: 救急 only)")
            ->check(CLI::IsMember({"yes", "no", "expired", "difficult"}));
        command->add_option("--confirmation-id", *confirmation_id, "Use the consent of an earlier confirmation instead");
        command->callback([=, &exit_code] {
            try {
                client::ConfirmationOrder order;
                std::optional<std::string> id;
                if (!confirmation_id->empty()) {
                    id = *confirmation_id;
                } else {
                    if (consent->empty())
                        throw std::invalid_argument("--consent yes|no|expired|difficult (or --confirmation-id of an earlier visit)");
                    order = order_from(*modes, true);
                    (medications ? order.pharmaceutical_consent : order.checkup_consent) = consent_codes.at(*consent);
                }
                order.file_identifier = common->file_identifier;
                exit_code = print(make_client(*common).view(medications, id, order), *common);
            } catch (const std::invalid_argument& e) {
                exit_code = usage_error(e.what(), *common);
            }
        });
    }

    auto common = std::make_shared<CommonOptions>();
    auto claim = std::make_shared<std::string>();
    auto* transfer = client_command->add_subcommand("transfer", "レセプト振替: re-route a claim to the insurer valid on its date of care");
    add_common(transfer, *common);
    transfer->add_option("--claim", *claim, "The claim's ClaimId")->required();
    transfer->callback([common, claim, &exit_code] {
        exit_code = print(make_client(*common).transfer_claim(*claim, common->file_identifier), *common);
    });
}

}  // namespace mynasim::cli
