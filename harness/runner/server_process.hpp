#pragma once
// The mock server as a child process (`mynasim server run`, the same code as the CLI), with its admin
// API at hand: faults, clock, journal, reset. Used by the harness's benches and by the Python module.
// The child dies with the thread that started it, and is stopped when this object goes.
#include <filesystem>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/process.hpp"
#include "runner/sim_environment.hpp"  // BenchError

namespace mynasim::harness {

struct ServerProcessOptions {
    std::string mynasim_binary;
    std::string dataset;                  // a YAML dataset (file or folder) or .sqlite store; empty: the shipped one
    std::string clock;                    // the server's clock at start; empty: the dataset's reference date
    std::filesystem::path files_dir;      // the file-drop interface's folder; empty: none
    std::string institution;              // the 医療機関コード it serves; empty: its TEST default
    std::string admin_token;              // empty: a fresh random one
    std::string expiry_grace_from;        // expiry | month-end; empty: the server's default
    std::optional<std::int64_t> bulk_ready_after;  // seconds; none: the server's default
    bool bulk_zip = false;
};

class ServerProcess {
public:
    // Starts the server and waits until it listens (30 s at most). Throws BenchError with its output.
    explicit ServerProcess(ServerProcessOptions options);
    ~ServerProcess();

    const std::string& url() const { return url_; }  // http://127.0.0.1:PORT
    const std::string& admin_token() const { return options_.admin_token; }
    // POST /admin/v1/CALL with `body`; the answer's JSON. Throws BenchError on a non-200 answer.
    nlohmann::json admin(const std::string& call, const nlohmann::json& body);
    nlohmann::json journal(const std::string& tag = {}, int max = 2000);  // oldest first
    void stop();  // idempotent
    bool running() const { return child_ != nullptr; }

private:
    ServerProcessOptions options_;
    std::unique_ptr<Child> child_;
    std::string url_;
};

}  // namespace mynasim::harness
