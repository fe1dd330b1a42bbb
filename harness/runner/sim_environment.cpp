#include "sim_environment.hpp"

#include <fstream>

#include "pcsc/private_pcscd.hpp"
#include "pcsc/sim_control.hpp"
#include "runner/process.hpp"

namespace mynasim::harness {

namespace fs = std::filesystem;

SimEnvironment::SimEnvironment(SimEnvironmentOptions options) : options_(std::move(options)) {
    options_.dir = fs::absolute(options_.dir);
    fs::create_directories(options_.dir);
    std::vector<std::string> up{"up", "-d", (options_.dir / "env").string(), "-p", options_.profile.string(),
                                "--state-dir", (options_.dir / "state").string()};
    if (!options_.inserted) up.push_back("--removed");
    if (options_.seed) up.insert(up.end(), {"--seed", std::to_string(*options_.seed)});
    if (options_.owner) up.insert(up.end(), {"--owner-pid", std::to_string(*options_.owner)});
    sim(up);
    up_ = true;
    environment_ = {{"PCSCLITE_CSOCK_NAME", (options_.dir / "env" / "run" / "pcscd.comm").string()},
                    {"MYNASIM_SIM_DIR", (options_.dir / "env").string()},
                    {"MYNASIM_READER", pcsc::reader_name}};
    std::ifstream env_file(options_.dir / "env" / "env");  // the socket as the environment says it
    for (std::string line; std::getline(env_file, line);)
        if (line.rfind("export PCSCLITE_CSOCK_NAME='", 0) == 0) environment_["PCSCLITE_CSOCK_NAME"] = line.substr(28, line.size() - 29);
}

SimEnvironment::~SimEnvironment() {
    try {
        down();
    } catch (...) {
    }
}

void SimEnvironment::down() {
    if (!up_) return;
    up_ = false;
    pcsc::sim_down(options_.dir / "env");
}

// The environment is driven through `mynasim sim …` child processes: they fork (the card daemon, the
// PC/SC presence checks), which a multi-threaded caller (the runner, Python) must not do itself without exec.
void SimEnvironment::sim(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{options_.mynasim_binary, "sim"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    const auto result = run_process(argv, {}, std::chrono::seconds(60));
    if (result.timed_out || result.exit_code != 0)
        throw BenchError("mynasim sim " + arguments.front() + (arguments.size() > 3 ? " " + arguments[3] : std::string()) +
                         (result.timed_out ? ": no answer in 60 s" : ": " + result.err + result.out));
}

void SimEnvironment::insert(const fs::path& profile_file) {
    // Out, seen out, then in (each `sim ctl` waits for PC/SC to see it): pcscd polls presence (~400 ms),
    // and a card swapped between two polls would look like the same card and fail the next transaction.
    remove();
    std::vector<std::string> arguments{"ctl", "-d", (options_.dir / "env").string(), "insert"};
    if (!profile_file.empty()) arguments.insert(arguments.end(), {"-p", fs::absolute(profile_file).string()});
    sim(arguments);
}

void SimEnvironment::remove() { sim({"ctl", "-d", (options_.dir / "env").string(), "remove"}); }

void SimEnvironment::reset() { sim({"ctl", "-d", (options_.dir / "env").string(), "reset"}); }

// Socket requests, no fork: safe from any thread.
nlohmann::json SimEnvironment::request(const nlohmann::json& body) {
    try {
        return pcsc::sim_request(options_.dir / "env", body);
    } catch (const pcsc::SimError& e) {
        throw BenchError(e.what());
    }
}

void SimEnvironment::set_tries(const std::string& pin, int tries) {
    const auto answer = request({{"cmd", "set_tries"}, {"pin", pin}, {"tries", tries}});
    if (!answer.value("ok", false)) throw BenchError("set_tries: " + answer.value("error", std::string("failed")));
}

void SimEnvironment::tear_after(int apdus) {
    const auto answer = request({{"cmd", "tear_after"}, {"apdus", apdus}});
    if (!answer.value("ok", false)) throw BenchError("tear_after: " + answer.value("error", std::string("failed")));
}

nlohmann::json SimEnvironment::status() { return request({{"cmd", "status"}}); }

nlohmann::json SimEnvironment::trace(int max) {
    auto answer = request({{"cmd", "trace"}, {"max", max}});
    return answer.value("exchanges", nlohmann::json::array());
}

}  // namespace mynasim::harness
