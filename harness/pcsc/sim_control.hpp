#pragma once
// Controlling environments from C++ (the CLI is a thin layer over this): bring one up, send control
// requests, wait for PC/SC to see the card, tear it down.
#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "pcsc/sim_daemon.hpp"

namespace mynasim::pcsc {

class SimError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SimUp {
    pid_t daemon_pid = 0;
    std::filesystem::path socket;  // PCSCLITE_CSOCK_NAME
    std::filesystem::path env_file;
};

// Starts the environment in the background (a daemon process) and returns once a PC/SC client sees
// the card (or the empty reader, when start_inserted is false). Writes DIR/env. Throws SimError
// with the end of the daemon's log when it cannot.
SimUp sim_up(const SimOptions& options, std::chrono::milliseconds timeout = std::chrono::seconds(20));

// One request to a running environment; throws SimError when it is not running or does not answer.
nlohmann::json sim_request(const std::filesystem::path& dir, const nlohmann::json& request,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A process that exists and is not a zombie.
bool process_running(pid_t pid);

// Stops the environment and every process it started; returns false if it was not running.
bool sim_down(const std::filesystem::path& dir, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Waits until a PC/SC client of this environment sees the reader with (or without) a card.
// Runs the PC/SC calls in a child process, because libpcsclite reads PCSCLITE_CSOCK_NAME once.
bool wait_for_card(const std::filesystem::path& socket, bool present, std::chrono::milliseconds timeout);

}  // namespace mynasim::pcsc
