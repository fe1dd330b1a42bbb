#pragma once
// DIR/junit.xml from the run report: one <testcase> per expanded case, as Jenkins, GitLab and GitHub read it.
#include <filesystem>

#include <nlohmann/json.hpp>

namespace mynasim::reports {

void write_junit(const nlohmann::json& report, const std::filesystem::path& dir);

}  // namespace mynasim::reports
