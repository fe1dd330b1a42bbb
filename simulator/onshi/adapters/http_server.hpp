#pragma once
// HTTP/1.1 (keep-alive) and HTTPS adapter for the mock server (its Gateway, or the Service alone), on
// Boost.Beast/Asio. Binds loopback unless told otherwise; bodies are limited to 1 MiB; idle connections
// time out after 30 s. Honours an answer's delay and delivery (dropped connection, no answer).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "onshi/service/service.hpp"

namespace mynasim::onshi {

struct TlsOptions {
    std::string certificate_chain_pem;  // server certificate (and chain)
    std::string private_key_pem;
    std::string client_ca_pem;          // when set, clients must present a certificate issued by it
};

struct ServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port (see HttpServer::port)
    std::optional<TlsOptions> tls;
    int threads = 2;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
public:
    // Binds at once (throws std::runtime_error naming the address on failure).
    HttpServer(Handler handler, const ServerOptions& options);
    ~HttpServer();
    std::uint16_t port() const;
    void run();   // serves until stop(); returns when every thread has finished
    void stop();  // thread-safe, also from a signal-handling thread

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mynasim::onshi
