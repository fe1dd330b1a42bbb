#pragma once
// Child processes for the runner: clients under test and mock servers, with their output captured,
// a hard time limit (the whole process group is killed), and extra environment variables.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace mynasim::harness {

struct ProcessResult {
    int exit_code = -1;      // -1 when killed or not started
    bool timed_out = false;
    std::string out, err;    // each cut at 1 MiB
    std::chrono::milliseconds duration{0};
    std::string start_error;  // exec failed
};

// Runs argv[0] (PATH searched) with `environment` added, waits at most `limit`.
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
                          std::chrono::milliseconds limit);

// A long-running child (the mock server): started in its own process group, its stdout readable line by line.
class Child {
public:
    Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment);
    ~Child();  // SIGTERM, then SIGKILL after 5 s
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    // The next line of its stdout within `limit`; empty when it ended or said nothing in time.
    std::string read_line(std::chrono::milliseconds limit);
    std::string drain();  // what it printed since
    void stop();
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string buffer_;
};

}  // namespace mynasim::harness
