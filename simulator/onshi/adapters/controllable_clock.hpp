#pragma once
// The server's clock: starts at a given time, runs at real speed, and can be set or moved by scenarios.
#include <atomic>
#include <chrono>

#include "base/time.hpp"

namespace mynasim::onshi {

class ControllableClock {
public:
    explicit ControllableClock(UnixTime start) : origin_(start), started_(std::chrono::steady_clock::now()) {}
    UnixTime now() const {
        const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
        return origin_.load() + offset_.load() + elapsed.count();
    }
    void set(UnixTime t) { offset_ = t - (now() - offset_.load()); }
    void advance(std::int64_t seconds) { offset_ += seconds; }

private:
    std::atomic<UnixTime> origin_;
    std::atomic<std::int64_t> offset_{0};
    std::chrono::steady_clock::time_point started_;
};

}  // namespace mynasim::onshi
