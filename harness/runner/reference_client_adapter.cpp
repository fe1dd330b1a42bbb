// Adapter for the reference client (`mynasim client … --json`) and the reception tool (`mynasim reception … --json`).
#include "client_adapter.hpp"

#include "client/exit_codes.hpp"

namespace mynasim::harness {

namespace {

// Both tools print one JSON object with `result`; anything else is shown as text.
nlohmann::json read_json_output(int exit_code, const std::string& out, const std::string& err) {
    try {
        auto report = nlohmann::json::parse(out);
        if (report.is_object()) return report;
    } catch (const nlohmann::json::exception&) {
    }
    return {{"result", exit_code == 0 ? "ok" : "unknown"}, {"text", out.substr(0, 4000)}, {"stderr", err.substr(0, 4000)}};
}

class ReferenceClientAdapter : public ClientAdapter {
public:
    std::string name() const override { return "reference"; }
    std::string identity() const override { return "mynasim reference client (mynasim client), " MYNASIM_VERSION_TEXT; }
    ClientCall command(const std::vector<std::string>& action, const BenchAddress& bench) const override {
        ClientCall call{{bench.mynasim_binary, "client"}, bench.pcsc_environment};
        call.argv.insert(call.argv.end(), action.begin(), action.end());
        call.argv.insert(call.argv.end(), {"--server", bench.server_url, "--json"});
        return call;
    }
    nlohmann::json read_output(int exit_code, const std::string& out, const std::string& err) const override {
        return read_json_output(exit_code, out, err);
    }
};

class ReceptionAdapter : public ClientAdapter {
public:
    std::string name() const override { return "reception"; }
    std::string identity() const override { return "mynasim reception (file interface), " MYNASIM_VERSION_TEXT; }
    ClientCall command(const std::vector<std::string>& action, const BenchAddress& bench) const override {
        ClientCall call{{bench.mynasim_binary, "reception"}, {}};
        call.argv.insert(call.argv.end(), action.begin(), action.end());
        call.argv.insert(call.argv.end(), {"--files", bench.files_dir, "--json"});
        return call;
    }
    nlohmann::json read_output(int exit_code, const std::string& out, const std::string& err) const override {
        return read_json_output(exit_code, out, err);
    }
};

}  // namespace

std::unique_ptr<ClientAdapter> make_reference_client_adapter() { return std::make_unique<ReferenceClientAdapter>(); }
std::unique_ptr<ClientAdapter> make_reception_adapter() { return std::make_unique<ReceptionAdapter>(); }

}  // namespace mynasim::harness
