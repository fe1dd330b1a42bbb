#include "sim_control.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include "base/file_io.hpp"
#include "pcsc/private_pcscd.hpp"

namespace mynasim::pcsc {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// /proc/PID/stat, or "" once the process is gone (it may go while its file is read).
std::string process_stat(pid_t pid) {
    try {
        return read_file_if_exists("/proc/" + std::to_string(pid) + "/stat").value_or("");
    } catch (const FileError&) {
        return "";
    }
}

std::string log_tail(const fs::path& file, std::size_t lines = 15) {
    std::ifstream in(file);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    std::string out;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += "\n  " + all[i];
    return out;
}

// Start time of a process (clock ticks since boot), so a recycled pid is never mistaken for ours.
unsigned long long start_time(pid_t pid) {
    const std::string text = process_stat(pid);
    const auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22) return std::stoull(field);
    return 0;
}

// DIR/daemon.pid holds "<pid> <start time>"; 0 when missing or when that process is gone.
pid_t read_pid(const fs::path& file) {
    std::ifstream in(file);
    pid_t pid = 0;
    unsigned long long started = 0;
    in >> pid >> started;
    if (pid <= 0 || started == 0 || start_time(pid) != started) return 0;
    return pid;
}

}  // namespace

// Running (a zombie counts as gone: it may wait long for a parent that never reaps it).
bool process_running(pid_t pid) {
    if (pid <= 0) return false;
    const std::string text = process_stat(pid);
    const auto close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

namespace {

int connect_control(const fs::path& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.size() >= sizeof address.sun_path) throw SimError("control socket path too long: " + text);
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw SimError(std::string("socket: ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// The PC/SC check itself, in a forked child: 0 = seen as wanted, 1 = not within the time.
int pcsc_wait(const fs::path& socket, bool present, std::chrono::milliseconds timeout) {
    ::setenv("PCSCLITE_CSOCK_NAME", socket.c_str(), 1);
    const auto deadline = Clock::now() + timeout;
    SCARDCONTEXT context = 0;
    while (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) != SCARD_S_SUCCESS) {
        if (Clock::now() > deadline) return 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    int result = 1;
    while (Clock::now() < deadline) {
        SCARD_READERSTATE state{};
        state.szReader = reader_name;
        state.dwCurrentState = SCARD_STATE_UNAWARE;
        const LONG rv = SCardGetStatusChange(context, 200, &state, 1);
        if (rv == SCARD_S_SUCCESS && !(state.dwEventState & SCARD_STATE_UNKNOWN)) {
            const bool has_card = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
            if (has_card == present) {
                result = 0;
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    SCardReleaseContext(context);
    return result;
}

}  // namespace

bool wait_for_card(const fs::path& socket, bool present, std::chrono::milliseconds timeout) {
    const pid_t child = ::fork();
    if (child < 0) throw SimError(std::string("fork: ") + std::strerror(errno));
    if (child == 0) ::_exit(pcsc_wait(socket, present, timeout));
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

SimUp sim_up(const SimOptions& given, std::chrono::milliseconds timeout) {
    SimOptions options = given;
    options.dir = fs::absolute(options.dir);
    if (!options.profile.empty()) options.profile = fs::absolute(options.profile).string();
    options.state_dir = fs::absolute(options.state_dir);
    fs::create_directories(options.dir);
    const SimFiles files(options.dir);
    if (const pid_t running = read_pid(files.pid); process_running(running))
        throw SimError("an environment is already up in " + options.dir.string() + " (daemon pid " +
                       std::to_string(running) + "); use 'mynasim sim down --dir " + options.dir.string() + "' first");
    std::error_code ignored;
    fs::remove(files.control, ignored);
    fs::remove(files.env, ignored);

    std::cout.flush();
    std::cerr.flush();
    const pid_t daemon = ::fork();
    if (daemon < 0) throw SimError(std::string("fork: ") + std::strerror(errno));
    if (daemon == 0) {
        ::setsid();
        const int log = ::open(files.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (log >= 0) {
            ::dup2(log, STDOUT_FILENO);
            ::dup2(log, STDERR_FILENO);
        }
        if (null >= 0) ::dup2(null, STDIN_FILENO);
        {
            std::ofstream pid_file(files.pid, std::ios::trunc);
            pid_file << ::getpid() << " " << start_time(::getpid()) << "\n";
        }
        const int code = run_sim_daemon(options);
        std::cout.flush();
        ::_exit(code);
    }

    const auto deadline = Clock::now() + timeout;
    const PcscPaths paths(options.dir);
    auto give_up = [&](const std::string& why) -> SimError {
        ::kill(daemon, SIGTERM);
        ::waitpid(daemon, nullptr, 0);
        return SimError(why + "; the environment's log:" + log_tail(files.log) + log_tail(paths.log, 5));
    };
    // The daemon is up when its control socket answers.
    while (true) {
        int status = 0;
        if (::waitpid(daemon, &status, WNOHANG) == daemon)
            throw SimError("the environment stopped while starting; its log:" + log_tail(files.log));
        const int fd = connect_control(files.control);
        if (fd >= 0) {
            ::close(fd);
            break;
        }
        if (Clock::now() > deadline) throw give_up("the environment did not start in time");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (!wait_for_card(paths.socket, options.start_inserted, left))
        throw give_up(options.start_inserted ? "PC/SC does not see the card in time" : "PC/SC does not see the reader");

    std::ofstream env(files.env, std::ios::trunc);
    env << "# mynasim PC/SC environment in " << options.dir.string() << ": '. " << files.env.string()
        << "' makes PC/SC programs use it\n"
        << "export PCSCLITE_CSOCK_NAME='" << paths.socket.string() << "'\n"
        << "export MYNASIM_SIM_DIR='" << options.dir.string() << "'\n"
        << "export MYNASIM_READER='" << reader_name << "'\n";
    env.close();
    // The daemon is not our child to reap: it re-parents when we exit. Detach from it now.
    return SimUp{daemon, paths.socket, files.env};
}

nlohmann::json sim_request(const fs::path& dir, const nlohmann::json& request, std::chrono::milliseconds timeout) {
    const SimFiles files(fs::absolute(dir));
    const int fd = connect_control(files.control);
    if (fd < 0)
        throw SimError("no environment is up in " + dir.string() + " (cannot connect to " + files.control.string() +
                       ")");
    const std::string line = request.dump() + "\n";
    if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) < 0) {
        ::close(fd);
        throw SimError(std::string("sending to the environment: ") + std::strerror(errno));
    }
    std::string answer;
    const auto deadline = Clock::now() + timeout;
    while (answer.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{fd, POLLIN, 0};
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
            ::close(fd);
            throw SimError("the environment in " + dir.string() + " did not answer in time");
        }
        char buffer[65536];
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) {
            ::close(fd);
            throw SimError("the environment in " + dir.string() + " closed the connection");
        }
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return nlohmann::json::parse(answer.substr(0, answer.find('\n')));
}

bool sim_down(const fs::path& dir, std::chrono::milliseconds timeout) {
    const SimFiles files(fs::absolute(dir));
    const pid_t pid = read_pid(files.pid);
    if (!process_running(pid)) {
        std::error_code ignored;
        fs::remove(files.control, ignored);
        return false;
    }
    try {
        sim_request(dir, {{"cmd", "shutdown"}}, std::chrono::seconds(5));
    } catch (const SimError&) {
        ::kill(pid, SIGTERM);  // not answering: ask the process itself
    }
    const auto deadline = Clock::now() + timeout;
    while (process_running(pid) && Clock::now() < deadline) {
        ::waitpid(pid, nullptr, WNOHANG);  // in case it is our own child
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (read_pid(files.pid) == pid) {
        ::kill(pid, SIGKILL);  // its pcscd dies with it (parent-death signal)
        ::waitpid(pid, nullptr, WNOHANG);
    }
    std::error_code ignored;
    fs::remove(files.pid, ignored);
    fs::remove(files.env, ignored);
    return true;
}

}  // namespace mynasim::pcsc
