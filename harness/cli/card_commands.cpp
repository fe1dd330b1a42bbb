// mynasim card apdu | card session | card state
#include <chrono>
#include <fstream>
#include <thread>
#include <iostream>

#include <nlohmann/json.hpp>

#include "card/apdu_trace.hpp"
#include "card/status_words.hpp"
#include "cli/card_runtime.hpp"
#include "cli/commands.hpp"
#include "runner/card_session.hpp"
#include "state/counter_store.hpp"

namespace mynasim::cli {

namespace {

struct CardOptions {
    std::string profile;
    std::string state_dir = default_state_dir().string();
    std::optional<std::uint64_t> seed;
    bool json = false;
    bool full = false;
};

void add_card_options(CLI::App* command, CardOptions& options) {
    command->add_option("-p,--profile", options.profile, "Card profile (YAML)")->required()->check(CLI::ExistingFile);
    command->add_option("--state-dir", options.state_dir,
                        "Where counters of profiles with persist_counters: true are kept "
                        "(default $MYNASIM_STATE_DIR, $XDG_STATE_HOME/mynasim or ~/.local/state/mynasim)");
    command->add_option("--seed", options.seed, "Seed the card's random numbers (GET CHALLENGE) for repeatable runs");
    command->add_flag("--json", options.json, "Print JSON instead of text");
    command->add_flag("--full", options.full, "Print response data in full");
}

nlohmann::json exchange_json(const card::ApduExchange& e) {
    nlohmann::json j{{"command", to_hex(e.command)}, {"command_text", e.command_text}, {"response_text", e.response_text}};
    if (e.response) {
        j["response"] = to_hex(*e.response);
        j["sw"] = to_hex(ByteView(e.response->data() + e.response->size() - 2, 2));
    } else {
        j["response"] = nullptr;
    }
    if (e.forced) j["forced"] = true;
    if (e.torn) j["torn"] = true;
    if (e.delay_ms) j["delay_ms"] = e.delay_ms;
    return j;
}

nlohmann::json tries_json(const card::CardState& state) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [id, tries] : state.tries_left) j[id] = tries;
    return j;
}

// Pseudo-commands accepted among the APDUs.
enum class Token { Apdu, Reset, PowerOff, PowerOn };

int run_apdus(const CardOptions& options, const std::vector<std::string>& arguments) {
    // Check every argument before touching the card: a typo must not leave half a sequence run.
    std::vector<std::pair<Token, Bytes>> plan;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& text = arguments[i];
        if (text == "reset") plan.emplace_back(Token::Reset, Bytes{});
        else if (text == "power-off") plan.emplace_back(Token::PowerOff, Bytes{});
        else if (text == "power-on") plan.emplace_back(Token::PowerOn, Bytes{});
        else if (auto bytes = parse_hex(text); bytes && !bytes->empty()) plan.emplace_back(Token::Apdu, *bytes);
        else {
            std::cerr << "mynasim card apdu: argument " << i + 1 << " '" << text
                      << "' is neither hex bytes nor one of reset, power-off, power-on; nothing was sent\n";
            return exit_usage;
        }
    }
    CardRuntime runtime(options.profile, options.state_dir, options.seed);
    auto& card = runtime.card();
    nlohmann::json trace = nlohmann::json::array();
    for (const auto& [token, bytes] : plan) {
        switch (token) {
        case Token::Reset:
            card::reset(card.state());
            if (options.json) trace.push_back({{"event", "reset"}});
            else std::cout << "-- reset (session cleared, counters kept)\n";
            continue;
        case Token::PowerOff:
            card::power_off(card.state());
            if (options.json) trace.push_back({{"event", "power-off"}});
            else std::cout << "-- power off\n";
            continue;
        case Token::PowerOn:
            if (!card.state().torn) card::power_on(card.state());
            if (options.json) trace.push_back({{"event", "power-on"}});
            else std::cout << "-- power on\n";
            continue;
        case Token::Apdu: break;
        }
        const auto e = card::exchange(card, bytes);
        // In-process the CLI is the transport: it honours the card's latency fault.
        if (e.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(e.delay_ms));
        if (options.json) trace.push_back(exchange_json(e));
        else std::cout << card::format_exchange(e, options.full) << "\n";
    }
    runtime.save();
    if (options.json) {
        nlohmann::json out{{"profile", runtime.profile().name}, {"exchanges", trace}, {"tries_left", tries_json(card.state())}};
        if (auto file = runtime.counter_file()) out["counter_file"] = file->string();
        std::cout << out.dump(2) << "\n";
    } else {
        std::cout << "tries left:";
        for (const auto& [id, tries] : card.state().tries_left) std::cout << " " << id << "=" << tries;
        if (auto file = runtime.counter_file()) std::cout << " (persisted in " << file->string() << ")";
        std::cout << "\n";
    }
    return exit_ok;
}

int run_session(const CardOptions& options, const std::optional<std::string>& pin_option,
                const std::string& challenge_hex, const std::string& report_file) {
    CardRuntime runtime(options.profile, options.state_dir, options.seed);
    const auto challenge = parse_hex(challenge_hex);
    if (!challenge || challenge->empty()) {
        std::cerr << "mynasim card session: --challenge '" << challenge_hex << "' is not hex bytes\n";
        return exit_usage;
    }
    const std::string pin = pin_option.value_or(runtime.profile().auth_pin);
    const auto result = harness::run_card_session(runtime.card(), pin, *challenge, runtime.pki().ca_certificate(pki::CaId::JpkiAuth));
    runtime.save();

    nlohmann::json report{
        {"profile", runtime.profile().name},
        {"person", runtime.profile().person},
        {"completed", result.completed},
        {"failure", result.failure},
        {"certificate", result.certificate_summary},
        {"certificate_chains_to_jpki_auth_ca", result.certificate_chains_to_ca},
        {"signature_verified", result.signature_verified},
        {"tries_left", tries_json(runtime.card().state())},
    };
    if (result.tries_left_before) report["auth_pin_tries_left_before"] = *result.tries_left_before;
    // What a client sends to the server: the certificate read and the signature over the challenge.
    report["challenge"] = to_hex(result.challenge);
    report["certificate_der"] = to_hex(result.certificate);
    report["signature"] = to_hex(result.signature);
    nlohmann::json trace = nlohmann::json::array();
    for (const auto& e : result.exchanges) trace.push_back(exchange_json(e));
    report["exchanges"] = trace;

    if (options.json) {
        std::cout << report.dump(2) << "\n";
    } else {
        std::cout << "暗証番号入力 card session, in-process, profile " << runtime.profile().name << " (person "
                  << runtime.profile().person << ")\n";
        for (const auto& e : result.exchanges) std::cout << "  " << card::format_exchange(e, options.full) << "\n";
        if (!result.certificate_summary.empty()) {
            std::cout << "auth certificate: " << result.certificate_summary << "\n";
            std::cout << "  chains to TEST JPKI auth CA: " << (result.certificate_chains_to_ca ? "yes" : "NO") << "\n";
        }
        if (result.completed)
            std::cout << "signature over the challenge verifies with the certificate: yes\nresult: COMPLETED\n";
        else
            std::cout << "result: STOPPED: " << result.failure << "\n";
    }
    if (!report_file.empty()) {
        std::ofstream out(report_file);
        out << report.dump(2) << "\n";
        if (!out) {
            std::cerr << "mynasim card session: cannot write the report to " << report_file << "\n";
            return exit_failed;
        }
        if (!options.json) std::cout << "report written to " << report_file << "\n";
    }
    return result.completed ? exit_ok : exit_failed;
}

}  // namespace

void add_card_commands(CLI::App& app, int& exit_code) {
    auto* card_command = app.add_subcommand("card", "Drive the software card in-process");
    card_command->require_subcommand(1);

    auto apdu_options = std::make_shared<CardOptions>();
    auto apdus = std::make_shared<std::vector<std::string>>();
    auto* apdu = card_command->add_subcommand(
        "apdu", "Send APDUs to a fresh card made from a profile; print each command and response, decoded.\n"
                "Arguments are hex APDUs, or 'reset', 'power-off', 'power-on'. Example:\n"
                "  mynasim card apdu -p card-profiles/valid.yaml 00A4040C0AD392F000260100000001 00A4020C02000A 00B0000004");
    add_card_options(apdu, *apdu_options);
    apdu->add_option("apdus", *apdus, "APDUs (hex) and power events, in order")->required();
    apdu->callback([apdu_options, apdus, &exit_code] {
        try {
            exit_code = run_apdus(*apdu_options, *apdus);
        } catch (const std::exception& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_failed;
        }
    });

    auto session_options = std::make_shared<CardOptions>();
    session_options->seed = 1;
    auto pin = std::make_shared<std::optional<std::string>>();
    auto challenge = std::make_shared<std::string>("54455354206368616C6C656E6765");  // "TEST challenge"
    auto report = std::make_shared<std::string>();
    auto* session = card_command->add_subcommand(
        "session", "Run the card side of 暗証番号入力による資格確認 in-process: SELECT JPKI AP, ask the auth PIN\n"
                   "counter, read the auth certificate as OpenSC does, VERIFY the PIN, sign SHA-256(challenge),\n"
                   "and check certificate and signature with OpenSSL. Exit 0 when it completes, 1 when it stops.");
    add_card_options(session, *session_options);
    session->add_option("--pin", *pin, "Auth PIN to present (default: the profile's own auth PIN)");
    session->add_option("--challenge", *challenge, "Challenge bytes (hex) to sign")->capture_default_str();
    session->add_option("--report", *report, "Also write the result as JSON to this file");
    session->callback([session_options, pin, challenge, report, &exit_code] {
        try {
            exit_code = run_session(*session_options, *pin, *challenge, *report);
        } catch (const std::exception& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_failed;
        }
    });

    auto state_options = std::make_shared<CardOptions>();
    auto clear = std::make_shared<bool>(false);
    auto* state_command = card_command->add_subcommand(
        "state", "Show (or --clear) the persisted PIN counters of a profile with persist_counters: true");
    add_card_options(state_command, *state_options);
    state_command->add_flag("--clear", *clear, "Forget the persisted counters (the card starts from its profile again)");
    state_command->callback([state_options, clear, &exit_code] {
        try {
            CardRuntime runtime(state_options->profile, state_options->state_dir, std::nullopt);
            auto file = runtime.counter_file();
            if (!file) {
                std::cout << runtime.profile().name << ": counters are not persisted (persist_counters: false)\n";
                exit_code = exit_ok;
                return;
            }
            if (*clear) {
                std::filesystem::remove(*file);
                std::cout << "cleared " << file->string() << "\n";
            } else {
                std::cout << file->string() << ":";
                for (const auto& [id, tries] : runtime.card().state().tries_left) std::cout << " " << id << "=" << tries;
                std::cout << "\n";
            }
            exit_code = exit_ok;
        } catch (const std::exception& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
