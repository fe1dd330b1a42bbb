#pragma once
// A private pcscd with one vpcd reader, isolated from the machine's own PC/SC service and network:
// the calling process moves into new mount and network namespaces (only `lo`, brought up), mounts a
// private /run (so pcscd's pid file and socket never touch the system's /run/pcscd) and hides the USB
// reader drivers (so it never claims a real reader). vpcd then listens on 0.0.0.0:port of a network
// namespace nobody else is in: the card port is unreachable from outside. Needs root, or unprivileged
// user namespaces (then it maps the caller to root inside).
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace mynasim::pcsc {

struct PcscPaths {
    explicit PcscPaths(const std::filesystem::path& dir);
    std::filesystem::path dir;
    std::filesystem::path run_dir;       // bind-mounted over /run/pcscd inside the namespace
    std::filesystem::path socket;        // what clients set PCSCLITE_CSOCK_NAME to
    std::filesystem::path config_dir;    // our reader.conf.d
    std::filesystem::path driver;        // private copy of Debian's vpcd driver
    std::filesystem::path log;           // pcscd's output
};

class EnvironmentError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The vpcd port inside the private namespace (vpcd's default, 0x8C7B).
inline constexpr int vpcd_port = 0x8C7B;
// Debian's vsmartcard-vpcd driver.
inline constexpr const char* vpcd_driver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
// pcscd names vpcd's first slot like this.
inline constexpr const char* reader_name = "Virtual PCD 00 00";

// Moves the calling process into private namespaces and prepares the files. Call once, before threads.
void isolate_process(const PcscPaths& paths);
// Starts `pcscd -f` as a child (dies with us); returns its pid.
pid_t start_pcscd(const PcscPaths& paths);

}  // namespace mynasim::pcsc
