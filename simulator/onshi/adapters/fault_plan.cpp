#include "fault_plan.hpp"

#include <stdexcept>

namespace mynasim::onshi {

Fault FaultPlan::parse(const nlohmann::json& j) {
    if (!j.is_object()) throw std::invalid_argument("a fault must be a JSON object");
    for (const auto& [key, value] : j.items())
        if (key != "call" && key != "kind" && key != "status" && key != "latency_ms" && key != "count")
            throw std::invalid_argument("unknown fault field '" + key + "' (call, kind, status, latency_ms, count)");
    Fault f;
    f.call = j.value("call", "*");
    f.kind = j.value("kind", "");
    if (f.kind != "latency" && f.kind != "status" && f.kind != "malformed" && f.kind != "drop" && f.kind != "no_answer")
        throw std::invalid_argument("fault kind must be latency, status, malformed, drop or no_answer, found '" + f.kind + "'");
    if (f.call != "*" && f.call.rfind("/v2/", 0) != 0) throw std::invalid_argument("fault call must be * or a /v2/ path");
    if (j.contains("status")) {
        f.status = j.at("status").get<int>();
        if (f.status < 100 || f.status > 599) throw std::invalid_argument("fault status must be 100-599");
    }
    if (j.contains("latency_ms")) {
        const int ms = j.at("latency_ms").get<int>();
        if (ms < 0 || ms > 600000) throw std::invalid_argument("latency_ms must be 0-600000");
        f.latency_ms = static_cast<std::uint32_t>(ms);
    }
    if (f.kind == "latency" && f.latency_ms == 0) throw std::invalid_argument("a latency fault needs latency_ms");
    if (j.contains("count")) {
        const int count = j.at("count").get<int>();
        if (count < 1) throw std::invalid_argument("count must be at least 1");
        f.remaining = count;
    }
    return f;
}

void FaultPlan::add(Fault fault) {
    std::lock_guard lock(mutex_);
    faults_.push_back(std::move(fault));
    count_ = faults_.size();
}

void FaultPlan::clear() {
    std::lock_guard lock(mutex_);
    faults_.clear();
    count_ = 0;
}

std::optional<Fault> FaultPlan::take(const std::string& target) {
    if (count_ == 0) return std::nullopt;  // a fault added meanwhile meets the next request
    std::lock_guard lock(mutex_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (it->call != "*" && it->call != target) continue;
        Fault fault = *it;
        if (it->remaining && --*it->remaining == 0) {
            faults_.erase(it);
            count_ = faults_.size();
        }
        return fault;
    }
    return std::nullopt;
}

nlohmann::json FaultPlan::describe() const {
    std::lock_guard lock(mutex_);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : faults_) {
        nlohmann::json j{{"call", f.call}, {"kind", f.kind}};
        if (f.kind == "status") j["status"] = f.status;
        if (f.kind == "latency") j["latency_ms"] = f.latency_ms;
        if (f.remaining) j["remaining"] = *f.remaining;
        out.push_back(j);
    }
    return out;
}

}  // namespace mynasim::onshi
