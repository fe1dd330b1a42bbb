#pragma once
// The sim daemon's control protocol: one JSON request per line, {"cmd": VERB, ...}, one JSON answer
// {"ok": true, ...} or {"ok": false, "error": "..."}. The verbs: status, insert [profile], remove, reset,
// trace [max], set_tries pin tries, tear_after apdus, shutdown (docs/pcsc-environment.md).
#include <string>

#include <sys/types.h>

#include "pcsc/private_pcscd.hpp"
#include "pcsc/reader_slot.hpp"

namespace mynasim::pcsc {

// What the verbs act on and report.
struct ControlTarget {
    ReaderSlot& slot;
    const PcscPaths& paths;
    pid_t pcscd_pid;
    bool shutdown_requested = false;  // set by "shutdown"
};

// The answer line (JSON) to one request line; never throws.
std::string answer_control_request(const std::string& line, ControlTarget& target);

}  // namespace mynasim::pcsc
