#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char** environ;

namespace mynasim::harness {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t output_limit = 1 << 20;

// The program's path: as given when it names a folder, else the first match on PATH.
std::string resolve_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    const char* path = std::getenv("PATH");
    std::string folders = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= folders.size()) {
        const auto colon = folders.find(':', start);
        const std::string folder = folders.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        const std::string candidate = (folder.empty() ? "." : folder) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return name;  // execve fails; the child says so
}

// Forks a child in its own process group with stdout (and stderr, if given) on pipes. The runner has
// several threads: everything the child needs is prepared before fork(), and the child only calls
// async-signal-safe functions until execve (a lock held by another thread at fork time would never be
// released in the child).
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment, int out[2], int err[2]) {
    if (argv.empty()) throw std::invalid_argument("empty command line");
    const std::string program = resolve_program(argv[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        const std::string entry(*e);
        const auto equals = entry.find('=');
        if (equals != std::string::npos && environment.count(entry.substr(0, equals))) continue;  // replaced below
        env_strings.push_back(entry);
    }
    for (const auto& [key, value] : environment) env_strings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string failure = "cannot start " + argv[0] + "\n";
    if (::pipe2(out, O_CLOEXEC) != 0 || (err && ::pipe2(err, O_CLOEXEC) != 0)) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::setpgid(0, 0);
        // Never outlive the caller (a killed test process must not leave servers behind).
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);
        ::dup2(out[1], 1);
        ::dup2(err ? err[1] : out[1], 2);
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, 0);
        ::execve(program.c_str(), args.data(), envp.data());
        [[maybe_unused]] auto n = ::write(2, failure.data(), failure.size());
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    ::close(out[1]);
    if (err) ::close(err[1]);
    return pid;
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return -1;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
                          std::chrono::milliseconds limit) {
    ProcessResult result;
    int out[2], err[2];
    const auto start = Clock::now();
    const pid_t pid = spawn(argv, environment, out, err);
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    while (open > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(start + limit - Clock::now()).count();
        if (left <= 0) {
            result.timed_out = true;
            break;
        }
        if (::poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[65536];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else if (sinks[i]->size() < output_limit) {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            }
        }
    }
    if (result.timed_out) ::kill(-pid, SIGKILL);  // the whole group: a stuck client and what it started
    for (auto& fd : fds)
        if (fd.fd >= 0) ::close(fd.fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = result.timed_out ? -1 : exit_code_of(status);
    result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (result.exit_code == 127 && result.err.rfind("cannot start", 0) == 0) result.start_error = result.err;
    return result;
}

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment) {
    int out[2];
    pid_ = spawn(argv, environment, out, nullptr);
    out_fd_ = out[0];
}

Child::~Child() { stop(); }

std::string Child::read_line(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    for (;;) {
        const auto newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0 || out_fd_ < 0) return {};
        pollfd fd{out_fd_, POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(left)) <= 0) continue;
        char chunk[4096];
        const ssize_t n = ::read(out_fd_, chunk, sizeof chunk);
        if (n <= 0) {
            ::close(out_fd_);
            out_fd_ = -1;
            return {};
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

std::string Child::drain() {
    if (out_fd_ >= 0) {
        pollfd fd{out_fd_, POLLIN, 0};
        while (::poll(&fd, 1, 0) > 0) {
            char chunk[4096];
            const ssize_t n = ::read(out_fd_, chunk, sizeof chunk);
            if (n <= 0) break;
            if (buffer_.size() < output_limit) buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }
    return std::exchange(buffer_, {});
}

void Child::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (Clock::now() > deadline) {
            ::kill(-pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        ::usleep(10000);
    }
    pid_ = -1;
    if (out_fd_ >= 0) ::close(out_fd_);
    out_fd_ = -1;
}

}  // namespace mynasim::harness
