// mynasim: My Number card simulator and conformance suite for オンライン資格確認.
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"mynasim: a software My Number card, test PKI, mock オンライン資格確認等システム and reference client for the オンライン資格確認 conformance suite.\n"
                 "All keys and certificates are TEST material; nothing here is a real card or a real CA."};
    app.set_version_flag("--version", std::string("mynasim ") + MYNASIM_VERSION);
    app.require_subcommand(1);
    int exit_code = mynasim::cli::exit_ok;
    mynasim::cli::add_profile_commands(app, exit_code);
    mynasim::cli::add_card_commands(app, exit_code);
    mynasim::cli::add_pki_commands(app, exit_code);
    mynasim::cli::add_sim_commands(app, exit_code);
    mynasim::cli::add_server_commands(app, exit_code);
    mynasim::cli::add_client_commands(app, exit_code);
    mynasim::cli::add_reception_commands(app, exit_code);
    mynasim::cli::add_run_command(app, exit_code);
    mynasim::cli::add_report_commands(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return mynasim::cli::exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "mynasim: " << e.what() << "\n";
        return mynasim::cli::exit_failed;
    }
    return exit_code;
}
