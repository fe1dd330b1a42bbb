#pragma once
// The canonical report of a run (report.json's content) from the cases' results: run identity and every
// case. Its schema (reports/report.schema.json) is the contract with reports/, whose writers read only it,
// so merged shards write the same way.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/case_result.hpp"

namespace mynasim::harness {

struct RunIdentity {
    std::string suite_version;
    std::string client_name, client_identity;
    std::string started_at, finished_at;  // UTC ISO 8601
    std::string shard;                    // "K/N" or empty
    std::vector<std::filesystem::path> profile_files;  // the card profiles the cases used
    std::vector<std::filesystem::path> dataset_files;  // the server datasets they named (empty: the shipped default)
    nlohmann::json requirements = nlohmann::json::array();  // [{id, source, text}] the cases cite
};

nlohmann::json build_report(const RunIdentity& identity, const std::vector<CaseResult>& results);

}  // namespace mynasim::harness
