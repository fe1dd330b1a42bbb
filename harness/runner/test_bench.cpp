#include "test_bench.hpp"

#include <fstream>

#include "client/onshi_client.hpp"
#include "pcsc/sim_control.hpp"

namespace mynasim::harness {

namespace fs = std::filesystem;

TestBench::TestBench(fs::path dir, std::string mynasim_binary) : dir_(std::move(dir)), binary_(std::move(mynasim_binary)) {
    fs::create_directories(dir_);
}

TestBench::~TestBench() {
    server_.reset();
    if (up_) pcsc::sim_down(dir_ / "env");
}

// The environment is driven through `mynasim sim …` child processes: they fork (the card daemon, the
// PC/SC presence checks), which a multi-threaded runner must not do itself without exec.
void TestBench::sim(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv{binary_, "sim"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    const auto result = run_process(argv, {}, std::chrono::seconds(60));
    if (result.timed_out || result.exit_code != 0)
        throw BenchError("mynasim sim " + arguments.front() + (arguments.size() > 3 ? " " + arguments[3] : std::string()) +
                         (result.timed_out ? ": no answer in 60 s" : ": " + result.err + result.out));
}

void TestBench::prepare(const Case& test_case, const fs::path& profile_file) {
    ++case_number_;
    const std::string env_dir = (dir_ / "env").string();
    if (!up_) {
        std::vector<std::string> up{"up", "-d", env_dir, "-p", profile_file.string(), "--state-dir", (dir_ / "state").string()};
        if (!test_case.setup.card_inserted) up.push_back("--removed");
        sim(up);
        up_ = true;
        environment_ = {{"PCSCLITE_CSOCK_NAME", (dir_ / "env" / "run" / "pcscd.comm").string()}, {"MYNASIM_SIM_DIR", env_dir},
                        {"MYNASIM_READER", "Virtual PCD 00 00"}};
        std::ifstream env_file(dir_ / "env" / "env");  // the socket as the environment says it
        for (std::string line; std::getline(env_file, line);)
            if (line.rfind("export PCSCLITE_CSOCK_NAME='", 0) == 0)
                environment_["PCSCLITE_CSOCK_NAME"] = line.substr(28, line.size() - 29);
    } else if (test_case.setup.card_inserted) {
        insert(profile_file);
    } else {
        // Load the case's card without inserting it: in and out, so the next `insert: {}` inserts it.
        insert(profile_file);
        remove();
    }
    // A new server for every case: its own data, clock, faults, journal and file folder.
    files_dir_ = dir_ / ("files-" + std::to_string(case_number_));
    fs::remove_all(files_dir_);
    admin_token_ = "bench-" + std::to_string(case_number_);
    std::vector<std::string> argv{binary_, "server", "run", "--listen", "127.0.0.1:0", "--admin-token", admin_token_,
                                  "--files", files_dir_.string(), "--bulk-delay", "300"};
    if (!test_case.setup.dataset.empty()) argv.insert(argv.end(), {"--data", test_case.setup.dataset});
    if (!test_case.setup.clock.empty()) argv.insert(argv.end(), {"--clock", test_case.setup.clock});
    server_ = std::make_unique<Child>(argv, std::map<std::string, std::string>{});
    const std::string line = server_->read_line(std::chrono::seconds(30));
    const auto on = line.find(" on ");
    if (line.find("listening on") == std::string::npos || on == std::string::npos)
        throw BenchError("the mock server did not start: " + line + server_->drain());
    server_url_ = line.substr(on + 4, line.find(' ', on + 4) - on - 4);
    for (const auto& fault : test_case.setup.faults) admin("faults", {{"add", fault}});
}

void TestBench::finish_case() {
    server_.reset();
    fs::remove_all(files_dir_);
}

void TestBench::insert(const fs::path& profile_file) {
    // Out, seen out, then in (each `sim ctl` waits for PC/SC to see it): pcscd polls presence (~400 ms),
    // and a card swapped between two polls would look like the same card and fail the next transaction.
    remove();
    std::vector<std::string> arguments{"ctl", "-d", (dir_ / "env").string(), "insert"};
    if (!profile_file.empty()) arguments.insert(arguments.end(), {"-p", profile_file.string()});
    sim(arguments);
}

void TestBench::remove() { sim({"ctl", "-d", (dir_ / "env").string(), "remove"}); }

void TestBench::reset() { sim({"ctl", "-d", (dir_ / "env").string(), "reset"}); }

// Socket requests, no fork: safe from the runner's threads.
void TestBench::set_tries(const std::string& pin, int tries) {
    const auto answer = pcsc::sim_request(dir_ / "env", {{"cmd", "set_tries"}, {"pin", pin}, {"tries", tries}});
    if (!answer.value("ok", false)) throw BenchError("set_tries: " + answer.value("error", std::string("failed")));
}

void TestBench::tear_after(int apdus) {
    const auto answer = pcsc::sim_request(dir_ / "env", {{"cmd", "tear_after"}, {"apdus", apdus}});
    if (!answer.value("ok", false)) throw BenchError("tear_after: " + answer.value("error", std::string("failed")));
}

nlohmann::json TestBench::card_status() { return pcsc::sim_request(dir_ / "env", {{"cmd", "status"}}); }

nlohmann::json TestBench::trace() {
    auto answer = pcsc::sim_request(dir_ / "env", {{"cmd", "trace"}, {"max", 2000}});
    return answer.value("exchanges", nlohmann::json::array());
}

void TestBench::admin(const std::string& call, const nlohmann::json& body) {
    client::ServerOptions options;
    options.url = server_url_;
    try {
        const auto answer = client::OnshiClient(options).post("/admin/v1/" + call, body.dump(), {{"Authorization", "Bearer " + admin_token_}});
        if (answer.status != 200) throw BenchError("admin " + call + ": HTTP " + std::to_string(answer.status) + " " + answer.body);
    } catch (const client::ServerError& e) {
        throw BenchError("admin " + call + ": " + e.what());
    }
}

nlohmann::json TestBench::journal() {
    client::ServerOptions options;
    options.url = server_url_;
    try {
        const auto answer = client::OnshiClient(options).post("/admin/v1/journal", R"({"max": 2000})",
                                                              {{"Authorization", "Bearer " + admin_token_}});
        return nlohmann::json::parse(answer.body).value("entries", nlohmann::json::array());
    } catch (const std::exception& e) {
        throw BenchError(std::string("reading the server's journal: ") + e.what());
    }
}

}  // namespace mynasim::harness
