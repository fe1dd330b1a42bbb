#pragma once
// Writes a report folder from the run report: one file per registered format (report_formats), then
// the signed manifest over them. Used by `run`, `report merge` and the Python module.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/manifest.hpp"

namespace mynasim::reports {

// Returns the files written (manifest excluded). Throws naming the file that could not be written.
std::vector<std::string> write_report_folder(const nlohmann::json& report, const std::filesystem::path& dir, const SigningKey& key);

}  // namespace mynasim::reports
