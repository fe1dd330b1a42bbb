#pragma once
// Writes a report folder from the run report: report.json, junit.xml (and whatever other writers
// exist), then the signed manifest over them. Used by `run` and by `report merge`.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/manifest.hpp"

namespace mynasim::reports {

// Returns the files written (manifest excluded).
std::vector<std::string> write_report_folder(const nlohmann::json& report, const std::filesystem::path& dir, const SigningKey& key);

}  // namespace mynasim::reports
