#pragma once
// report.json: the run report itself, as the harness built it (reports/report.schema.json). The other
// formats are written from it, and `report merge` reads it back.
#include <string>

#include <nlohmann/json.hpp>

namespace mynasim::reports {

std::string render_json(const nlohmann::json& report);

}  // namespace mynasim::reports
