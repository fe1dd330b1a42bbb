#pragma once
// Faults a scenario arranges through the admin API, per call: added latency, an HTTP status, a
// malformed body, a dropped connection, no answer at all; for the next N requests or until cleared.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mynasim::onshi {

struct Fault {
    std::string call = "*";         // a path such as /v2/confirmations, or * for every public call
    std::string kind;               // latency | status | malformed | drop | no_answer
    int status = 503;               // for kind status
    std::uint32_t latency_ms = 0;   // for kind latency
    std::optional<int> remaining;   // requests left; unset: until cleared
};

class FaultPlan {
public:
    // Parses {"call":…, "kind":…, "status":…, "latency_ms":…, "count":…}; throws std::invalid_argument.
    static Fault parse(const nlohmann::json& j);
    void add(Fault fault);
    void clear();
    // The fault for this request, if any (counts it down).
    std::optional<Fault> take(const std::string& target);
    nlohmann::json describe() const;

private:
    mutable std::mutex mutex_;
    std::vector<Fault> faults_;
    // faults_.size(), readable without the mutex: most requests meet no fault, and should not all queue
    // on one lock to learn that.
    std::atomic<std::size_t> count_{0};
};

}  // namespace mynasim::onshi
