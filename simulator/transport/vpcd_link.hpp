#pragma once
// The card side of vsmartcard's vpcd protocol, over one connected TCP socket.
// Frames are a 2-byte big-endian length and a payload. A 1-byte payload is a control
// (00 power off, 01 power on, 02 reset, 04 ATR request: only 04 is answered); anything else is a
// command APDU, answered with the response APDU.
#include <optional>
#include <string>

#include "transport/card_endpoint.hpp"

namespace mynasim::transport {

enum class LinkStatus { Open, Closed, Torn };

class VpcdLink {
public:
    // Takes ownership of a connected socket: sets TCP_NODELAY now and TCP_QUICKACK before every
    // read (without it every APDU waits ~40 ms for a delayed ACK).
    explicit VpcdLink(int socket_fd);
    ~VpcdLink();
    VpcdLink(const VpcdLink&) = delete;
    VpcdLink& operator=(const VpcdLink&) = delete;

    int fd() const { return fd_; }
    // Reads one frame (blocking) and answers it through `card`. Closed: vpcd hung up (or a protocol
    // error, described by last_error()). Torn: the card asked to be pulled out.
    LinkStatus serve_one(CardEndpoint& card);
    const std::string& last_error() const { return error_; }

    // Connects to vpcd on 127.0.0.1:port; -1 (and errno) when nobody listens.
    static int connect_loopback(int port);

private:
    bool read_exact(std::uint8_t* buffer, std::size_t length);
    bool write_frame(ByteView payload);
    int fd_;
    std::string error_;
};

}  // namespace mynasim::transport
