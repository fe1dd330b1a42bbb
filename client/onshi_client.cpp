#include "onshi_client.hpp"

#include <optional>
#include <utility>  // Boost 1.74 asio/awaitable.hpp needs std::exchange without including it

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace mynasim::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Deadline = std::chrono::steady_clock::time_point;

std::chrono::milliseconds left(Deadline deadline) {
    const auto rest = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return std::max(rest, std::chrono::milliseconds(1));
}

// Runs one asynchronous step to its end; the stream's own expiry turns a deadline into beast::error::timeout.
template <class Start>
beast::error_code run_step(asio::io_context& io, Start&& start) {
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
}

[[noreturn]] void fail(const std::string& what, const std::string& url, beast::error_code ec, ServerFault otherwise) {
    if (ec == beast::error::timeout) throw ServerError(ServerFault::Timeout, what + " " + url + ": no answer in time");
    throw ServerError(otherwise, what + " " + url + ": " + ec.message());
}

template <class Stream>
ServerAnswer exchange(asio::io_context& io, Stream& stream, beast::tcp_stream& lowest, const std::string& url,
                      http::request<http::string_body>& request, Deadline deadline) {
    lowest.expires_after(left(deadline));
    if (auto ec = run_step(io, [&](auto handler) { http::async_write(stream, request, handler); }))
        fail("sending to", url, ec, ServerFault::Unreachable);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(8 * 1024 * 1024);
    lowest.expires_after(left(deadline));
    if (auto ec = run_step(io, [&](auto handler) { http::async_read(stream, buffer, parser, handler); })) {
        if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset)
            throw ServerError(ServerFault::Protocol, "the server at " + url + " closed the connection without an answer");
        // TLS 1.3 reports a refused client certificate only when the answer is read.
        if (ec.category() == asio::error::get_ssl_category())
            throw ServerError(ServerFault::Unreachable, "TLS with " + url + " failed: " + ec.message());
        fail("reading the answer of", url, ec, ServerFault::Protocol);
    }
    const auto& response = parser.get();
    ServerAnswer answer{static_cast<int>(response.result_int()), std::string(response[http::field::content_type]), response.body(), {}};
    for (const auto& field : response)
        if (field.name_string().starts_with("X-Mynasim-") || field.name_string().starts_with("x-mynasim-"))
            answer.headers[std::string(field.name_string())] = std::string(field.value());
    return answer;
}

}  // namespace

OnshiClient::OnshiClient(ServerOptions options) : options_(std::move(options)) {
    std::string rest;
    if (options_.url.rfind("http://", 0) == 0) {
        rest = options_.url.substr(7);
    } else if (options_.url.rfind("https://", 0) == 0) {
        tls_ = true;
        rest = options_.url.substr(8);
    } else {
        throw std::invalid_argument("--server must start with http:// or https://, found '" + options_.url + "'");
    }
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.find('/') != std::string::npos) throw std::invalid_argument("--server takes no path: '" + options_.url + "'");
    const auto colon = rest.rfind(':');
    const bool bracketed = !rest.empty() && rest.front() == '[';
    if (colon != std::string::npos && (!bracketed || rest.find(']') < colon)) {
        host_ = rest.substr(0, colon);
        port_ = rest.substr(colon + 1);
    } else {
        host_ = rest;
        port_ = tls_ ? "443" : "80";
    }
    if (bracketed) host_ = host_.substr(1, host_.size() - 2);
    if (host_.empty() || port_.empty() || port_.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("--server must be http(s)://HOST:PORT, found '" + options_.url + "'");
    if (tls_ && options_.ca_file.empty()) throw std::invalid_argument("an https:// server needs --ca FILE (e.g. `mynasim pki emit`'s ca/server-tls-ca.pem)");
}

ServerAnswer OnshiClient::post(const std::string& path, const std::string& xml_body,
                               const std::vector<std::pair<std::string, std::string>>& extra_headers) {
    const Deadline deadline = std::chrono::steady_clock::now() + options_.timeout;
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(host_, port_, ec);
    if (ec) throw ServerError(ServerFault::Unreachable, "cannot resolve " + host_ + ": " + ec.message());

    http::request<http::string_body> request{http::verb::post, path, 11};
    request.set(http::field::host, host_);
    request.set(http::field::user_agent, "mynasim reference client");
    request.set(http::field::content_type, "application/xml; charset=UTF-8");
    for (const auto& [name, value] : extra_headers) request.set(name, value);
    request.keep_alive(false);
    request.body() = xml_body;
    request.prepare_payload();

    beast::tcp_stream stream(io);
    stream.expires_after(left(deadline));
    if (auto e = run_step(io, [&](auto handler) { stream.async_connect(endpoints, handler); }))
        fail("cannot connect to", options_.url, e, ServerFault::Unreachable);
    if (!tls_) return exchange(io, stream, stream, options_.url, request, deadline);

    asio::ssl::context context(asio::ssl::context::tls_client);
    try {
        context.load_verify_file(options_.ca_file);
        if (!options_.client_certificate.empty()) {
            context.use_certificate_chain_file(options_.client_certificate);
            context.use_private_key_file(options_.client_key.empty() ? options_.client_certificate : options_.client_key,
                                         asio::ssl::context::pem);
        }
    } catch (const boost::system::system_error& e) {
        throw std::invalid_argument(std::string("TLS files (--ca, --client-cert, --client-key): ") + e.what());
    }
    context.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> tls(std::move(stream), context);
    auto& lowest = beast::get_lowest_layer(tls);
    tls.set_verify_callback(asio::ssl::host_name_verification(host_));
    if (!SSL_set_tlsext_host_name(tls.native_handle(), host_.c_str()))
        throw ServerError(ServerFault::Unreachable, "TLS: cannot set the server name " + host_);
    lowest.expires_after(left(deadline));
    if (auto e = run_step(io, [&](auto handler) { tls.async_handshake(asio::ssl::stream_base::client, handler); }))
        fail("TLS handshake with", options_.url, e, ServerFault::Unreachable);
    return exchange(io, tls, lowest, options_.url, request, deadline);
}

}  // namespace mynasim::client
