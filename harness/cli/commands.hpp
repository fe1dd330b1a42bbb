#pragma once
// Each file registers one group of `mynasim` subcommands. A command's callback stores its exit code.
#include <CLI/CLI.hpp>

namespace mynasim::cli {

// Exit codes shared by every subcommand.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;      // the thing checked or run failed (bad profile, session failed)
inline constexpr int exit_usage = 2;       // bad arguments (CLI11 usage errors use 106-ish codes; we map them to 2)

void add_profile_commands(CLI::App& app, int& exit_code);
void add_card_commands(CLI::App& app, int& exit_code);
void add_pki_commands(CLI::App& app, int& exit_code);
void add_sim_commands(CLI::App& app, int& exit_code);
void add_server_commands(CLI::App& app, int& exit_code);
void add_server_run_command(CLI::App& server, int& exit_code);
void add_client_commands(CLI::App& app, int& exit_code);
void add_reception_commands(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_report_commands(CLI::App& app, int& exit_code);

}  // namespace mynasim::cli
