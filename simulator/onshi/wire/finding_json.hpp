#pragma once
// A request check's findings as JSON, the one form the journal, `reception check --json` and the scenario
// expectations read: {"rule", "severity": "error"|"warning", "where", "message"}.
#include <vector>

#include <nlohmann/json.hpp>

#include "onshi/wire/request_check.hpp"

namespace mynasim::onshi {

inline nlohmann::json finding_json(const Finding& f) {
    return {{"rule", f.rule}, {"severity", f.severity == Severity::Error ? "error" : "warning"}, {"where", f.where}, {"message", f.message}};
}

inline nlohmann::json findings_json(const std::vector<Finding>& findings) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : findings) list.push_back(finding_json(f));
    return list;
}

}  // namespace mynasim::onshi
