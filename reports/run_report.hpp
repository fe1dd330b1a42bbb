#pragma once
// The canonical report of a run (report.json): run identity and every case. The other formats are
// written from it, one writer per file (junit_writer, …), so merged shards write the same way.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/case_result.hpp"

namespace mynasim::reports {

struct RunIdentity {
    std::string suite_version;
    std::string client_name, client_identity;
    std::string started_at, finished_at;  // UTC ISO 8601
    std::string shard;                    // "K/N" or empty
    std::vector<std::filesystem::path> profile_files;  // the card profiles the cases used
    std::vector<std::filesystem::path> dataset_files;  // the server datasets they named (empty: the shipped default)
    nlohmann::json requirements = nlohmann::json::array();  // [{id, source, text}] the cases cite
};

nlohmann::json build_report(const RunIdentity& identity, const std::vector<harness::CaseResult>& results);
// Writes DIR/report.json. Throws std::runtime_error naming the file.
void write_json_report(const nlohmann::json& report, const std::filesystem::path& dir);

}  // namespace mynasim::reports
