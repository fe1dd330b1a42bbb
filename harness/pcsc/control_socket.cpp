#include "control_socket.hpp"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "pcsc/private_pcscd.hpp"

namespace mynasim::pcsc {

ControlSocket::ControlSocket(std::filesystem::path path) : path_(std::move(path)) {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string text = path_.string();
    if (listener_ < 0 || text.size() >= sizeof address.sun_path) {
        if (listener_ >= 0) ::close(listener_);
        throw EnvironmentError("control socket path too long: " + text);
    }
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
    const mode_t old_mask = ::umask(0077);  // only the owner may control the environment
    const int bound = ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::umask(old_mask);
    if (bound != 0 || ::listen(listener_, 16) != 0) {
        const std::string problem = std::strerror(errno);
        ::close(listener_);
        throw EnvironmentError("control socket " + text + ": " + problem);
    }
}

ControlSocket::~ControlSocket() {
    for (auto& connection : connections_) ::close(connection.fd);
    if (listener_ >= 0) ::close(listener_);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

void ControlSocket::add_poll_fds(std::vector<pollfd>& fds) const {
    fds.push_back({listener_, POLLIN, 0});
    for (const auto& connection : connections_) fds.push_back({connection.fd, POLLIN, 0});
}

void ControlSocket::serve(const pollfd* ready, const Handler& handle) {
    // Indexes follow the set polled, not the list as it changes below (accept adds a connection).
    for (std::size_t c = 0; c < connections_.size(); ++c)
        if (ready[1 + c].revents & (POLLIN | POLLHUP | POLLERR)) connections_[c].readable = true;
    if (ready[0].revents & POLLIN) accept_connection();
    serve_connections(handle);
}

void ControlSocket::accept_connection() {
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    constexpr std::size_t max_connections = 32;  // idle connections must not pile up without bound
    if (connections_.size() >= max_connections) {
        ::close(connections_.front().fd);
        connections_.erase(connections_.begin());
    }
    connections_.push_back({fd, {}, false});
}

void ControlSocket::serve_connections(const Handler& handle) {
    for (auto& connection : connections_) {
        if (!connection.readable) continue;
        connection.readable = false;
        char buffer[4096];
        const ssize_t n = ::read(connection.fd, buffer, sizeof buffer);
        if (n <= 0 || connection.buffer.size() > 1 << 20) {
            ::close(connection.fd);
            connection.fd = -1;
            continue;
        }
        connection.buffer.append(buffer, static_cast<std::size_t>(n));
        std::size_t newline;
        while ((newline = connection.buffer.find('\n')) != std::string::npos) {
            const std::string line = connection.buffer.substr(0, newline);
            connection.buffer.erase(0, newline + 1);
            const std::string answer = handle(line) + "\n";
            if (::send(connection.fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
        }
    }
    std::erase_if(connections_, [](const Connection& c) { return c.fd < 0; });
}

}  // namespace mynasim::pcsc
