#include "test_bench.hpp"

#include <unistd.h>

namespace mynasim::harness {

namespace fs = std::filesystem;

TestBench::TestBench(fs::path dir, std::string mynasim_binary) : dir_(std::move(dir)), binary_(std::move(mynasim_binary)) {
    fs::create_directories(dir_);
}

TestBench::~TestBench() {
    server_.reset();
    environment_.reset();
}

SimEnvironment& TestBench::environment_or_throw() {
    if (!environment_) throw BenchError("no PC/SC environment yet (prepare a case first)");
    return *environment_;
}

ServerProcess& TestBench::server_or_throw() {
    if (!server_) throw BenchError("no mock server (prepare a case first)");
    return *server_;
}

void TestBench::prepare(const Case& test_case, const fs::path& profile_file) {
    ++case_number_;
    if (!environment_) {
        SimEnvironmentOptions options;
        options.dir = dir_;
        options.mynasim_binary = binary_;
        options.profile = profile_file;
        options.inserted = test_case.setup.card_inserted;
        options.owner = ::getpid();  // a killed run leaves no pcscd behind
        environment_ = std::make_unique<SimEnvironment>(options);
    } else if (test_case.setup.card_inserted) {
        environment_->insert(profile_file);
    } else {
        // Load the case's card without inserting it: in and out, so the next `insert: {}` inserts it.
        environment_->insert(profile_file);
        environment_->remove();
    }
    // A new server for every case: its own data, clock, faults, journal and file folder.
    files_dir_ = dir_ / ("files-" + std::to_string(case_number_));
    fs::remove_all(files_dir_);
    ServerProcessOptions options;
    options.mynasim_binary = binary_;
    options.dataset = test_case.setup.dataset;
    options.clock = test_case.setup.clock;
    options.expiry_grace_from = test_case.setup.expiry_grace_from;
    options.bulk_ready_after = test_case.setup.bulk_ready_after;
    options.bulk_zip = test_case.setup.bulk_zip;
    options.files_dir = files_dir_;
    options.admin_token = "bench-" + std::to_string(case_number_);
    server_.reset();
    server_ = std::make_unique<ServerProcess>(options);
    for (const auto& fault : test_case.setup.faults) admin("faults", {{"add", fault}});
}

void TestBench::finish_case() {
    server_.reset();
    fs::remove_all(files_dir_);
}

const std::map<std::string, std::string>& TestBench::environment() const {
    static const std::map<std::string, std::string> none;
    return environment_ ? environment_->environment() : none;
}

const std::string& TestBench::server_url() const {
    static const std::string none;
    return server_ ? server_->url() : none;
}

void TestBench::insert(const fs::path& profile_file) { environment_or_throw().insert(profile_file); }
void TestBench::remove() { environment_or_throw().remove(); }
void TestBench::reset() { environment_or_throw().reset(); }
void TestBench::set_tries(const std::string& pin, int tries) { environment_or_throw().set_tries(pin, tries); }
void TestBench::tear_after(int apdus) { environment_or_throw().tear_after(apdus); }
nlohmann::json TestBench::card_status() { return environment_or_throw().status(); }
nlohmann::json TestBench::trace() { return environment_or_throw().trace(); }
void TestBench::admin(const std::string& call, const nlohmann::json& body) { server_or_throw().admin(call, body); }
nlohmann::json TestBench::journal() { return server_or_throw().journal(); }

}  // namespace mynasim::harness
