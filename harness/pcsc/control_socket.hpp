#pragma once
// The sim daemon's control socket (DIR/control.sock): a Unix socket only its owner can open, taking
// one request per line and answering each with one line. At most 32 connections; the oldest goes first.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <poll.h>

namespace mynasim::pcsc {

class ControlSocket {
public:
    using Handler = std::function<std::string(const std::string& line)>;  // the answer, without its newline

    explicit ControlSocket(std::filesystem::path path);  // throws EnvironmentError
    ControlSocket(const ControlSocket&) = delete;
    ControlSocket& operator=(const ControlSocket&) = delete;
    ~ControlSocket();

    // What to poll: the listening socket first, then each connection.
    void add_poll_fds(std::vector<pollfd>& fds) const;
    // After poll: `ready` are the revents of the fds this added, in their order.
    void serve(const pollfd* ready, const Handler& handle);

private:
    struct Connection {
        int fd;
        std::string buffer;
        bool readable = false;
    };
    void accept_connection();
    void serve_connections(const Handler& handle);

    std::filesystem::path path_;
    int listener_ = -1;
    std::vector<Connection> connections_;
};

}  // namespace mynasim::pcsc
