#pragma once
// The sim daemon's log (DIR/daemon.log is its stdout): one line per event, stamped with the wall clock.
#include <chrono>
#include <iostream>
#include <string>

#include "base/time.hpp"

namespace mynasim::pcsc {

inline void log_line(const std::string& text) {
    std::cout << format_time_millis(std::chrono::system_clock::now()) << " " << text << std::endl;
}

}  // namespace mynasim::pcsc
