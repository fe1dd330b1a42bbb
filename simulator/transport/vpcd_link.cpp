#include "vpcd_link.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mynasim::transport {

namespace {
constexpr std::uint8_t control_power_off = 0x00;
constexpr std::uint8_t control_power_on = 0x01;
constexpr std::uint8_t control_reset = 0x02;
constexpr std::uint8_t control_get_atr = 0x04;
}  // namespace

VpcdLink::VpcdLink(int socket_fd) : fd_(socket_fd) {
    const int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

VpcdLink::~VpcdLink() {
    if (fd_ >= 0) ::close(fd_);
}

int VpcdLink::connect_loopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

bool VpcdLink::read_exact(std::uint8_t* buffer, std::size_t length) {
    std::size_t done = 0;
    while (done < length) {
        // Re-armed before every read: the kernel clears quick-ACK mode on its own.
        const int on = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
        const ssize_t n = ::read(fd_, buffer + done, length - done);
        if (n == 0) {
            error_ = "vpcd closed the connection";
            return false;
        }
        if (n < 0) {
            if (errno == EINTR) continue;
            error_ = std::string("reading from vpcd: ") + std::strerror(errno);
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool VpcdLink::write_frame(ByteView payload) {
    // One write per frame: a split write would wait for a delayed ACK on the other side.
    Bytes frame;
    frame.reserve(payload.size() + 2);
    frame.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
    frame.push_back(static_cast<std::uint8_t>(payload.size() & 0xFF));
    frame.insert(frame.end(), payload.begin(), payload.end());
    std::size_t done = 0;
    while (done < frame.size()) {
        const ssize_t n = ::send(fd_, frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            error_ = std::string("writing to vpcd: ") + std::strerror(errno);
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

LinkStatus VpcdLink::serve_one(CardEndpoint& card) {
    std::uint8_t header[2];
    if (!read_exact(header, 2)) return LinkStatus::Closed;
    const std::size_t length = static_cast<std::size_t>(header[0]) << 8 | header[1];
    Bytes payload(length);
    if (length > 0 && !read_exact(payload.data(), length)) return LinkStatus::Closed;
    if (length == 1) {
        switch (payload[0]) {
        case control_power_off: card.power_off(); return LinkStatus::Open;
        case control_power_on: card.power_on(); return LinkStatus::Open;
        case control_reset: card.reset(); return LinkStatus::Open;
        case control_get_atr: return write_frame(card.atr()) ? LinkStatus::Open : LinkStatus::Closed;
        default: return LinkStatus::Open;  // unknown controls are ignored, as vicc does
        }
    }
    if (length == 0) return LinkStatus::Open;
    const CardAnswer answer = card.transmit(payload);
    if (answer.torn) return LinkStatus::Torn;
    if (!answer.response) return LinkStatus::Open;  // a mute card: vpcd waits
    if (answer.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(answer.delay_ms));
    return write_frame(*answer.response) ? LinkStatus::Open : LinkStatus::Closed;
}

}  // namespace mynasim::transport
