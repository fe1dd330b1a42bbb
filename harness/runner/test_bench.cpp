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

void TestBench::prepare(const Case& test_case, const fs::path& profile_file) {
    ++case_number_;
    try {
        if (!up_) {
            pcsc::SimOptions options;
            options.dir = dir_ / "env";
            options.profile = profile_file.string();
            options.start_inserted = test_case.setup.card_inserted;
            options.state_dir = dir_ / "state";  // persistent counters stay with this bench
            const auto up = pcsc::sim_up(options);
            up_ = true;
            environment_ = {{"PCSCLITE_CSOCK_NAME", up.socket.string()}, {"MYNASIM_SIM_DIR", (dir_ / "env").string()},
                            {"MYNASIM_READER", "Virtual PCD 00 00"}};
        } else if (test_case.setup.card_inserted) {
            insert(profile_file);
        } else {
            remove();
            // The next insert without a card named uses the case's card.
            const auto answer = pcsc::sim_request(dir_ / "env", {{"cmd", "insert"}, {"profile", profile_file.string()}});
            if (!answer.value("ok", false)) throw BenchError("cannot load the card: " + answer.value("error", std::string()));
            remove();
        }
    } catch (const pcsc::SimError& e) {
        throw BenchError(std::string("PC/SC environment: ") + e.what());
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
    // Out, seen out, then in: pcscd polls presence (~400 ms), and a card swapped between two polls would
    // look like the same card to it and fail the next client's transaction.
    remove();
    nlohmann::json request{{"cmd", "insert"}};
    if (!profile_file.empty()) request["profile"] = profile_file.string();
    const auto answer = pcsc::sim_request(dir_ / "env", request);
    if (!answer.value("ok", false)) throw BenchError("insert: " + answer.value("error", std::string("failed")));
    if (!pcsc::wait_for_card(environment_.at("PCSCLITE_CSOCK_NAME"), true, std::chrono::seconds(10)))
        throw BenchError("PC/SC does not see the inserted card within 10 s");
}

void TestBench::remove() {
    pcsc::sim_request(dir_ / "env", {{"cmd", "remove"}});
    if (!pcsc::wait_for_card(environment_.at("PCSCLITE_CSOCK_NAME"), false, std::chrono::seconds(10)))
        throw BenchError("PC/SC still sees a card 10 s after removal");
}

void TestBench::reset() { pcsc::sim_request(dir_ / "env", {{"cmd", "reset"}}); }

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
