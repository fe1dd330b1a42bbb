#include "pcscd_supervisor.hpp"

#include <csignal>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "pcsc/sim_log.hpp"

namespace mynasim::pcsc {

void PcscdSupervisor::start() {
    pid_ = start_pcscd(paths_);
    log_line("pcscd started, pid " + std::to_string(pid_) + ", socket " + paths_.socket.string());
}

bool PcscdSupervisor::watch(bool& restarted) {
    restarted = false;
    int status = 0;
    if (pid_ <= 0 || ::waitpid(pid_, &status, WNOHANG) != pid_) return pid_ > 0;
    log_line("pcscd exited unexpectedly (status " + std::to_string(status) + ")");
    if (++restarts_ > 5) {
        log_line("pcscd keeps exiting; giving up");
        pid_ = -1;
        return false;
    }
    pid_ = start_pcscd(paths_);
    restarted = true;
    log_line("pcscd restarted, pid " + std::to_string(pid_));
    return true;
}

void PcscdSupervisor::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        ::usleep(100000);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

}  // namespace mynasim::pcsc
