#pragma once
// A private PC/SC environment (pcscd + vpcd + the emulated card) driven through `mynasim sim …` child
// processes, the same code as the CLI. Used by the harness's benches and by the Python module.
// Ends the environment when destroyed; with an owner pid, the environment also ends by itself when
// that process dies, so a killed test process never leaves pcscd behind.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/types.h>

namespace mynasim::harness {

class BenchError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SimEnvironmentOptions {
    std::filesystem::path dir;           // sockets, logs, env file; created
    std::string mynasim_binary;
    std::filesystem::path profile;       // the first card
    bool inserted = true;
    std::optional<std::uint64_t> seed;   // seeded card randomness
    std::optional<pid_t> owner;          // the environment ends when this process ends
};

class SimEnvironment {
public:
    // Brings the environment up; returns once PC/SC sees the card (or the empty reader). Throws BenchError.
    explicit SimEnvironment(SimEnvironmentOptions options);
    ~SimEnvironment();  // down(), errors ignored
    SimEnvironment(const SimEnvironment&) = delete;
    SimEnvironment& operator=(const SimEnvironment&) = delete;

    // Each waits until PC/SC has seen the change. An empty path inserts the same card again.
    void insert(const std::filesystem::path& profile_file = {});
    void remove();
    void reset();
    void set_tries(const std::string& pin, int tries);
    void tear_after(int apdus);
    nlohmann::json status();
    nlohmann::json trace(int max = 2000);  // the exchanges since the card was inserted, oldest first
    void down();                           // idempotent

    bool up() const { return up_; }
    const std::filesystem::path& dir() const { return options_.dir; }
    // PCSCLITE_CSOCK_NAME, MYNASIM_SIM_DIR, MYNASIM_READER: what a PC/SC program needs to find the reader.
    const std::map<std::string, std::string>& environment() const { return environment_; }

private:
    void sim(const std::vector<std::string>& arguments);  // `mynasim sim ARGS`; throws BenchError
    nlohmann::json request(const nlohmann::json& body);   // control socket; throws BenchError
    SimEnvironmentOptions options_;
    bool up_ = false;
    std::map<std::string, std::string> environment_;
};

}  // namespace mynasim::harness
