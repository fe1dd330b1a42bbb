// mynasim sim up | sim ctl | sim down: a private PC/SC environment with the software card in a reader.
#include <iostream>

#include "cli/card_runtime.hpp"
#include "cli/commands.hpp"
#include "pcsc/private_pcscd.hpp"
#include "pcsc/sim_control.hpp"
#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"

namespace mynasim::cli {

namespace {

using nlohmann::json;

void print_status(const json& s) {
    std::cout << "card " << s.value("card", "?") << " (person " << s.value("person", "?") << ") in reader '"
              << s.value("reader", "?") << "': " << (s.value("inserted", false) ? "inserted" : "removed");
    if (s.value("inserted", false) && !s.value("connected", false)) std::cout << " (connecting to vpcd)";
    if (s.value("torn", false)) std::cout << ", torn out by its fault";
    std::cout << "\n";
    if (s.contains("tries_left")) {
        std::cout << "PIN tries left:";
        for (const auto& [id, left] : s["tries_left"].items())
            std::cout << " " << id << "=" << left.get<int>() << (left.get<int>() == 0 ? " (locked)" : "");
        std::cout << "\n";
    }
    std::cout << "APDUs answered: " << s.value("apdus_answered", 0) << ", PC/SC socket: " << s.value("socket", "?")
              << "\n";
}

int fail(const std::string& message) {
    std::cerr << "mynasim sim: " << message << "\n";
    return exit_failed;
}

void validate_profile(const std::string& file) {
    const pki::TestPki pki;
    profile::make_card(profile::load_profile(file), pki);  // throws file:line:col before anything starts
}

}  // namespace

void add_sim_commands(CLI::App& app, int& exit_code) {
    auto* sim = app.add_subcommand(
        "sim", "A private PC/SC environment: its own pcscd (own socket, namespaces), the card in a vpcd reader.\n"
               "Any PC/SC program uses it after '. DIR/env' (PCSCLITE_CSOCK_NAME).");
    sim->require_subcommand(1);

    struct UpOptions {
        std::string profile, dir, state_dir = default_state_dir().string();
        std::optional<std::uint64_t> seed;
        bool removed = false;
        std::optional<pid_t> owner;
    };
    auto up = std::make_shared<UpOptions>();
    auto* up_command = sim->add_subcommand(
        "up", "Start pcscd and the card (inserted) in the background; return once a PC/SC client sees the card.\n"
              "Writes DIR/env with export lines (PCSCLITE_CSOCK_NAME, ...).");
    up_command->add_option("-p,--profile", up->profile, "Card profile")->required()->check(CLI::ExistingFile);
    up_command->add_option("-d,--dir", up->dir, "Directory of this environment (sockets, logs, env)")->required();
    up_command->add_option("--state-dir", up->state_dir, "Where persistent counters live");
    up_command->add_option("--seed", up->seed, "Seed the card's random numbers");
    up_command->add_flag("--removed", up->removed, "Start with the reader empty");
    up_command->add_option("--owner-pid", up->owner, "Stop the environment by itself when this process has ended");
    up_command->callback([up, &exit_code] {
        try {
            validate_profile(up->profile);
            pcsc::SimOptions options;
            options.dir = up->dir;
            options.profile = up->profile;
            options.state_dir = up->state_dir;
            options.seed = up->seed;
            options.start_inserted = !up->removed;
            options.owner = up->owner;
            const auto result = pcsc::sim_up(options);
            std::cout << "environment up in " << up->dir << " (daemon pid " << result.daemon_pid << ")\n"
                      << "reader 'Virtual PCD 00 00': " << (up->removed ? "empty" : "card inserted") << "\n"
                      << "use it with: . " << result.env_file.string() << "\n";
            exit_code = exit_ok;
        } catch (const std::exception& e) {
            exit_code = fail(e.what());
        }
    });

    struct CtlOptions {
        std::string dir, profile;
        bool json = false;
        bool no_wait = false;
        int max = 50;
    };
    auto ctl = std::make_shared<CtlOptions>();
    auto* ctl_command = sim->add_subcommand("ctl", "Control a running environment");
    ctl_command->add_option("-d,--dir", ctl->dir, "Directory of the environment")->required();
    ctl_command->require_subcommand(1);
    // insert/remove return once PC/SC clients see the change (pcscd polls vpcd about every 400 ms).
    auto request = [ctl, &exit_code](const json& message, bool show_status, std::optional<bool> wait_present = {}) {
        try {
            const json answer = pcsc::sim_request(ctl->dir, message);
            if (!answer.value("ok", false)) {
                exit_code = fail(answer.value("error", "the environment refused the request"));
                return;
            }
            if (wait_present && !ctl->no_wait &&
                !pcsc::wait_for_card(pcsc::PcscPaths(ctl->dir).socket, *wait_present, std::chrono::seconds(10))) {
                exit_code = fail(std::string("PC/SC does not see the card ") + (*wait_present ? "inserted" : "removed") +
                                 " within 10 s");
                return;
            }
            if (ctl->json) std::cout << answer.dump(2) << "\n";
            else if (show_status) print_status(answer);
            exit_code = exit_ok;
        } catch (const std::exception& e) {
            exit_code = fail(e.what());
        }
    };
    auto* insert = ctl_command->add_subcommand("insert", "Insert the card (optionally another profile's card)");
    insert->add_option("-p,--profile", ctl->profile, "Insert a card made from this profile instead")
        ->check(CLI::ExistingFile);
    insert->callback([ctl, request, &exit_code] {
        json message{{"cmd", "insert"}};
        if (!ctl->profile.empty()) {
            try {
                validate_profile(ctl->profile);
            } catch (const std::exception& e) {
                exit_code = fail(e.what());
                return;
            }
            message["profile"] = std::filesystem::absolute(ctl->profile).string();
        }
        request(message, false, true);
    });
    insert->add_flag("--no-wait", ctl->no_wait, "Return without waiting for PC/SC to see the card");
    auto* remove = ctl_command->add_subcommand("remove", "Pull the card out of the reader");
    remove->add_flag("--no-wait", ctl->no_wait, "Return without waiting for PC/SC to see the empty reader");
    remove->callback([request] { request({{"cmd", "remove"}}, false, false); });
    ctl_command->add_subcommand("reset", "Power-cycle the card: its session (selection, verified PINs) is cleared")
        ->callback([request] { request({{"cmd", "reset"}}, false); });
    auto pin = std::make_shared<std::string>("auth");
    auto tries = std::make_shared<int>(3);
    auto* set_tries = ctl_command->add_subcommand("set-tries", "Set a PIN's retry counter (as if earlier visits had used tries)");
    set_tries->add_option("--pin", *pin, "auth, sign or kenmen_hojo")->capture_default_str();
    set_tries->add_option("--tries", *tries, "Tries left")->required()->check(CLI::Range(0, 15));
    set_tries->callback([request, pin, tries] { request({{"cmd", "set_tries"}, {"pin", *pin}, {"tries", *tries}}, false); });
    auto apdus = std::make_shared<int>(0);
    auto* tear = ctl_command->add_subcommand("tear-after", "Pull the card out after N more answered APDUs (mid-transaction)");
    tear->add_option("apdus", *apdus, "How many more APDUs the card answers")->required()->check(CLI::Range(0, 100000));
    tear->callback([request, apdus] { request({{"cmd", "tear_after"}, {"apdus", *apdus}}, false); });
    auto* status = ctl_command->add_subcommand("status", "Card, reader and PIN tries left");
    status->add_flag("--json", ctl->json, "Print JSON");
    status->callback([request] { request({{"cmd", "status"}}, true); });
    auto* trace = ctl_command->add_subcommand("trace", "The recent APDU exchanges, decoded");
    trace->add_flag("--json", ctl->json, "Print JSON");
    trace->add_option("--max", ctl->max, "How many exchanges (default 50)");
    trace->callback([ctl, &exit_code] {
        try {
            const json answer = pcsc::sim_request(ctl->dir, {{"cmd", "trace"}, {"max", ctl->max}});
            if (ctl->json) {
                std::cout << answer.dump(2) << "\n";
            } else {
                for (const auto& e : answer["exchanges"]) {
                    std::cout << e.value("at", "") << "  ";
                    if (e.contains("command"))
                        std::cout << e["command"].get<std::string>() << " → "
                                  << (e.contains("response") ? e["response"].get<std::string>() : "(no answer)") << "  ";
                    std::cout << e.value("command_text", "") << "  " << e.value("response_text", "") << "\n";
                }
            }
            exit_code = exit_ok;
        } catch (const std::exception& e) {
            exit_code = fail(e.what());
        }
    });

    auto down_dir = std::make_shared<std::string>();
    auto* down = sim->add_subcommand("down", "Stop the environment and every process it started");
    down->add_option("-d,--dir", *down_dir, "Directory of the environment")->required();
    down->callback([down_dir, &exit_code] {
        try {
            if (pcsc::sim_down(*down_dir)) std::cout << "environment in " << *down_dir << " stopped\n";
            else std::cout << "no environment was up in " << *down_dir << "\n";
            exit_code = exit_ok;
        } catch (const std::exception& e) {
            exit_code = fail(e.what());
        }
    });
}

}  // namespace mynasim::cli
