#pragma once
// Joins the report.json of several shards (or runs of disjoint selections) into one report, in the
// order of the unsharded selection, with totals and inputs recomputed.
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

namespace mynasim::reports {

// Throws std::runtime_error naming the folder: unreadable report, another suite version or client,
// one input file with different contents, or one case in two shards.
nlohmann::json merge_reports(const std::vector<std::filesystem::path>& dirs);

// Totals from the cases' verdicts.
nlohmann::json count_verdicts(const nlohmann::json& cases);

}  // namespace mynasim::reports
