#pragma once
// The reference client's side of docs/onshi-api.md: POST an XML body to the mock server over HTTP or
// HTTPS (server checked against a CA file, optional client certificate), with one deadline per call.
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mynasim::client {

enum class ServerFault { Unreachable, Timeout, Protocol };

class ServerError : public std::runtime_error {
public:
    ServerError(ServerFault fault, const std::string& message) : std::runtime_error(message), fault_(fault) {}
    ServerFault fault() const { return fault_; }

private:
    ServerFault fault_;
};

struct ServerOptions {
    std::string url = "http://127.0.0.1:8420";  // http:// or https://, host and port, no path
    std::string ca_file;                        // HTTPS: trust anchors for the server's certificate
    std::string client_certificate, client_key;  // HTTPS: our certificate, when the server asks for one
    std::chrono::milliseconds timeout{10000};    // per call: connect, send, answer
};

struct ServerAnswer {
    int status = 0;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;  // the mock's own X-Mynasim-… fields (confirmation id, error detail)
};

class OnshiClient {
public:
    explicit OnshiClient(ServerOptions options);  // throws std::invalid_argument for a bad URL
    // Throws ServerError: Unreachable (connect/TLS failed), Timeout, Protocol (not an HTTP answer).
    ServerAnswer post(const std::string& path, const std::string& xml_body,
                      const std::vector<std::pair<std::string, std::string>>& extra_headers = {});
    const std::string& url() const { return options_.url; }

private:
    ServerOptions options_;
    bool tls_ = false;
    std::string host_, port_;
};

}  // namespace mynasim::client
