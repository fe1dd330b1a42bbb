#include "server_process.hpp"

#include "base/bytes.hpp"
#include "base/random_source.hpp"
#include "client/onshi_client.hpp"

namespace mynasim::harness {

ServerProcess::ServerProcess(ServerProcessOptions options) : options_(std::move(options)) {
    if (options_.admin_token.empty()) {
        Bytes token(12);
        SystemRandom().fill(token);
        options_.admin_token = to_hex(token);
    }
    std::vector<std::string> argv{options_.mynasim_binary, "server", "run", "--listen", "127.0.0.1:0", "--admin-token",
                                  options_.admin_token};
    if (!options_.files_dir.empty())
        argv.insert(argv.end(), {"--files", options_.files_dir.string()});
    if (!options_.institution.empty()) argv.insert(argv.end(), {"--institution", options_.institution});
    if (!options_.dataset.empty()) argv.insert(argv.end(), {"--data", options_.dataset});
    if (!options_.clock.empty()) argv.insert(argv.end(), {"--clock", options_.clock});
    if (!options_.expiry_grace_from.empty()) argv.insert(argv.end(), {"--expiry-grace-from", options_.expiry_grace_from});
    if (options_.bulk_ready_after) argv.insert(argv.end(), {"--bulk-ready-after", std::to_string(*options_.bulk_ready_after)});
    if (options_.bulk_zip) argv.push_back("--bulk-zip");
    child_ = std::make_unique<Child>(argv, std::map<std::string, std::string>{});
    const std::string line = child_->read_line(std::chrono::seconds(30));
    const auto on = line.find(" on ");
    if (line.find("listening on") == std::string::npos || on == std::string::npos) {
        const std::string said = line + child_->drain();
        child_.reset();
        throw BenchError("the mock server did not start: " + said);
    }
    url_ = line.substr(on + 4, line.find(' ', on + 4) - on - 4);
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::stop() { child_.reset(); }

nlohmann::json ServerProcess::admin(const std::string& call, const nlohmann::json& body) {
    if (!child_) throw BenchError("admin " + call + ": the mock server is stopped");
    client::ServerOptions options;
    options.url = url_;
    client::ServerAnswer answer;
    try {
        answer = client::OnshiClient(options).post("/admin/v1/" + call, body.dump(),
                                                   {{"Authorization", "Bearer " + options_.admin_token}});
    } catch (const client::ServerError& e) {
        throw BenchError("admin " + call + ": " + e.what());
    }
    if (answer.status != 200) throw BenchError("admin " + call + ": HTTP " + std::to_string(answer.status) + " " + answer.body);
    try {
        return nlohmann::json::parse(answer.body);
    } catch (const std::exception& e) {
        throw BenchError("admin " + call + ": the answer is not JSON (" + e.what() + "): " + answer.body);
    }
}

nlohmann::json ServerProcess::journal(const std::string& tag, int max) {
    nlohmann::json body{{"max", max}};
    if (!tag.empty()) body["tag"] = tag;
    return admin("journal", body).value("entries", nlohmann::json::array());
}

}  // namespace mynasim::harness
