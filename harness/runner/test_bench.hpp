#pragma once
// One worker's bench: a private PC/SC environment (pcscd + vpcd + the emulated card, kept for the
// worker's cases, the card replaced per case) and a fresh mock server process per case (own dataset,
// clock, faults, journal, file-interface folder). Cases on one bench never share state.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/server_process.hpp"
#include "runner/sim_environment.hpp"
#include "scenario/scenario.hpp"

namespace mynasim::harness {

class TestBench {
public:
    TestBench(std::filesystem::path dir, std::string mynasim_binary);
    ~TestBench();
    TestBench(const TestBench&) = delete;
    TestBench& operator=(const TestBench&) = delete;

    // Card (inserted or not) and a new server as the case's setup says. Throws BenchError.
    void prepare(const Case& test_case, const std::filesystem::path& profile_file);
    void finish_case();  // stops the server

    void insert(const std::filesystem::path& profile_file);  // empty path: the same card again
    void remove();
    void reset();
    void set_tries(const std::string& pin, int tries);
    void tear_after(int apdus);
    nlohmann::json card_status();
    nlohmann::json trace();    // every exchange since the card was inserted
    nlohmann::json journal();  // the server's exchanges, oldest first
    void admin(const std::string& call, const nlohmann::json& body);  // throws BenchError on a non-200

    // For clients: PCSCLITE_CSOCK_NAME and MYNASIM_* of the environment.
    const std::map<std::string, std::string>& environment() const;
    const std::string& server_url() const;
    std::filesystem::path files_dir() const { return files_dir_; }

private:
    SimEnvironment& environment_or_throw();
    ServerProcess& server_or_throw();
    std::filesystem::path dir_;
    std::string binary_;
    std::unique_ptr<SimEnvironment> environment_;
    std::unique_ptr<ServerProcess> server_;
    std::filesystem::path files_dir_;
    int case_number_ = 0;
};

}  // namespace mynasim::harness
