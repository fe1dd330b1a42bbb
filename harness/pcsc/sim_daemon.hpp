#pragma once
// The background process behind `mynasim sim up`: a private pcscd (see private_pcscd.hpp), the card
// on vpcd, and a control socket (DIR/control.sock, a Unix socket only its owner can open) taking one
// JSON request per line: {"cmd":"status"|"insert"|"remove"|"reset"|"trace"|"shutdown", ...}.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <sys/types.h>

namespace mynasim::pcsc {

struct SimOptions {
    std::filesystem::path dir;
    std::string profile;                  // card profile file
    std::filesystem::path state_dir;      // persistent counters (profiles with persist_counters: true)
    std::optional<std::uint64_t> seed;    // seeded card randomness
    bool echo_card = false;               // benchmark mode: a card answering 90 00 to everything
    bool start_inserted = true;
    std::optional<pid_t> owner;           // the environment ends when this process has ended
};

// Files of an environment directory.
struct SimFiles {
    explicit SimFiles(const std::filesystem::path& dir)
        : control(dir / "control.sock"), pid(dir / "daemon.pid"), log(dir / "daemon.log"), env(dir / "env") {}
    std::filesystem::path control, pid, log, env;
};

// Runs the environment in this process until a shutdown request or SIGTERM/SIGINT. Returns an exit code.
int run_sim_daemon(const SimOptions& options);

}  // namespace mynasim::pcsc
