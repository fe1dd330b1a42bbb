#pragma once
// The sim daemon's private pcscd: started in the environment's namespaces, restarted should it exit
// (up to 5 times), stopped with SIGTERM and, after 5 s, SIGKILL.
#include <sys/types.h>

#include "pcsc/private_pcscd.hpp"

namespace mynasim::pcsc {

class PcscdSupervisor {
public:
    explicit PcscdSupervisor(const PcscPaths& paths) : paths_(paths) {}
    PcscdSupervisor(const PcscdSupervisor&) = delete;
    PcscdSupervisor& operator=(const PcscdSupervisor&) = delete;
    ~PcscdSupervisor() { stop(); }

    void start();
    // Restarts a pcscd that exited; returns false once it has exited too often (it stays down).
    // `restarted` tells whether this call restarted it (the card's link then needs to be made again).
    bool watch(bool& restarted);
    void stop();
    pid_t pid() const { return pid_; }

private:
    const PcscPaths& paths_;
    pid_t pid_ = -1;
    int restarts_ = 0;
};

}  // namespace mynasim::pcsc
