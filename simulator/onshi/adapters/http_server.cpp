#include "http_server.hpp"

#include <atomic>
#include <utility>  // Boost 1.74 asio/awaitable.hpp needs std::exchange without including it
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace mynasim::onshi {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t body_limit = 1 << 20;
constexpr auto idle_timeout = std::chrono::seconds(30);

HttpResponse dispatch(const Handler& handler, const http::request<http::string_body>& request) {
    return handler(HttpRequest{std::string(request.method_string()), std::string(request.target()), request.body(),
                               std::string(request[http::field::authorization]), std::string(request["X-Mynasim-Tag"])});
}

http::response<http::string_body> to_beast(const HttpResponse& answer, unsigned version, bool keep_alive) {
    http::response<http::string_body> response{static_cast<http::status>(answer.status), version};
    response.set(http::field::server, "mynasim mock onshi");
    response.set(http::field::content_type, answer.content_type);
    for (const auto& [field, value] : answer.headers) response.set(field, value);
    response.keep_alive(keep_alive);
    response.body() = answer.body;
    response.prepare_payload();
    return response;
}

// One connection: read a request, answer it, repeat while the client keeps the connection alive.
// Stream is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
public:
    Session(Stream stream, const Handler& handler)
        : stream_(std::move(stream)), handler_(handler), timer_(stream_.get_executor()) {}

    void start() {
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            read();
        } else {
            beast::get_lowest_layer(stream_).expires_after(idle_timeout);
            stream_.async_handshake(asio::ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (!ec) self->read();
                                    });
        }
    }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(body_limit);
        beast::get_lowest_layer(stream_).expires_after(idle_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof) return close();
        if (ec) {
            // A request we cannot parse (too large, not HTTP): answer once, then close.
            const auto status = ec == http::error::body_limit ? 413 : 400;
            HttpResponse answer{status, "text/plain; charset=UTF-8", "bad HTTP request: " + ec.message() + "\n"};
            return write(to_beast(answer, 11, false));
        }
        const auto request = parser_->release();
        const HttpResponse answer = dispatch(handler_, request);
        if (answer.delivery == Delivery::DropConnection) return drop();
        if (answer.delivery == Delivery::NoAnswer) {
            // Say nothing; the connection ends when the client gives up or the idle timeout passes.
            beast::get_lowest_layer(stream_).expires_after(idle_timeout);
            return read();
        }
        auto response = to_beast(answer, request.version(), request.keep_alive());
        if (answer.delay_ms == 0) return write(std::move(response));
        timer_.expires_after(std::chrono::milliseconds(answer.delay_ms));
        timer_.async_wait([self = this->shared_from_this(), shared = std::make_shared<decltype(response)>(std::move(response))](
                              beast::error_code) { self->write(std::move(*shared)); });
    }

    void drop() {
        beast::error_code ignored;
        beast::get_lowest_layer(stream_).socket().close(ignored);
    }

    void write(http::response<http::string_body> response) {
        auto shared = std::make_shared<http::response<http::string_body>>(std::move(response));
        http::async_write(stream_, *shared, [self = this->shared_from_this(), shared](beast::error_code ec, std::size_t) {
            if (ec || !shared->keep_alive()) return self->close();
            self->read();
        });
    }

    void close() {
        beast::error_code ignored;
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        } else {
            beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
    }

    Stream stream_;
    const Handler& handler_;
    asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

struct HttpServer::Impl {
    Impl(Handler h, const ServerOptions& options)
        : handler(std::move(h)), io(options.threads), acceptor(io), threads(std::max(1, options.threads)) {
        if (options.tls) {
            ssl = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
            ssl->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                             asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
            ssl->use_certificate_chain(asio::buffer(options.tls->certificate_chain_pem));
            ssl->use_private_key(asio::buffer(options.tls->private_key_pem), asio::ssl::context::pem);
            if (!options.tls->client_ca_pem.empty()) {
                ssl->add_certificate_authority(asio::buffer(options.tls->client_ca_pem));
                ssl->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
            }
        }
        beast::error_code ec;
        const auto address = asio::ip::make_address(options.address, ec);
        if (ec) throw std::runtime_error("listen address '" + options.address + "': " + ec.message());
        const tcp::endpoint endpoint{address, options.port};
        acceptor.open(endpoint.protocol(), ec);
        if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor.bind(endpoint, ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            throw std::runtime_error("cannot listen on " + options.address + ":" + std::to_string(options.port) + ": " +
                                     ec.message());
        accept();
    }

    void accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (ec != asio::error::operation_aborted) accept();
                return;
            }
            beast::tcp_stream stream(std::move(socket));
            if (ssl)
                std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                    beast::ssl_stream<beast::tcp_stream>(std::move(stream), *ssl), handler)
                    ->start();
            else
                std::make_shared<Session<beast::tcp_stream>>(std::move(stream), handler)->start();
            accept();
        });
    }

    Handler handler;
    asio::io_context io;
    tcp::acceptor acceptor;
    std::unique_ptr<asio::ssl::context> ssl;
    int threads;
};

HttpServer::HttpServer(Handler handler, const ServerOptions& options)
    : impl_(std::make_unique<Impl>(std::move(handler), options)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run() {
    std::vector<std::thread> extra;
    for (int i = 1; i < impl_->threads; ++i) extra.emplace_back([this] { impl_->io.run(); });
    impl_->io.run();
    for (auto& t : extra) t.join();
}

void HttpServer::stop() {
    asio::post(impl_->io, [this] {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
        impl_->io.stop();
    });
}

}  // namespace mynasim::onshi
