#pragma once
// DIR/report.json: the run report itself, as the harness built it (reports/report.schema.json). The
// other formats are written from it, and `report merge` reads it back.
#include <filesystem>

#include <nlohmann/json.hpp>

namespace mynasim::reports {

// Throws std::runtime_error naming the file.
void write_json_report(const nlohmann::json& report, const std::filesystem::path& dir);

}  // namespace mynasim::reports
