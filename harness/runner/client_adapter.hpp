#pragma once
// How the runner drives a client under test: the command line for an action, and how to read its
// answer (exit code → result name, its JSON fields). One adapter per file; the reference client is one.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mynasim::harness {

struct ClientCall {
    std::vector<std::string> argv;
    std::map<std::string, std::string> environment;
};

struct BenchAddress {
    std::string mynasim_binary;
    std::string reader = "Virtual PCD 00 00";
    std::string server_url;
    std::string files_dir;
    std::map<std::string, std::string> pcsc_environment;
};

class ClientAdapter {
public:
    virtual ~ClientAdapter() = default;
    virtual std::string name() const = 0;
    virtual std::string identity() const = 0;  // for the report: what exactly was tested
    virtual ClientCall command(const std::vector<std::string>& action, const BenchAddress& bench) const = 0;
    // The client's answer as the report's fields (its JSON, or {"text": …}); `result` names the outcome.
    virtual nlohmann::json read_output(int exit_code, const std::string& out, const std::string& err) const = 0;
};

// The project's reference client (`mynasim client`), driven through its command line like any other.
std::unique_ptr<ClientAdapter> make_reference_client_adapter();
// The reception side of the file interface (`mynasim reception`), for `reception:` steps.
std::unique_ptr<ClientAdapter> make_reception_adapter();
// OpenSC's tools (pkcs15-tool, pkcs11-tool), for card-level cases: identify, read-certificate, login --pin N.
std::unique_ptr<ClientAdapter> make_opensc_adapter();
// A vendor's client described in YAML (docs/client-adapter.md): its command line per action, its
// environment, and how to read its output. Throws yaml::LoadError with file:line:col.
std::unique_ptr<ClientAdapter> load_generic_client_adapter(const std::string& file);

}  // namespace mynasim::harness
