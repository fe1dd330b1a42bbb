#pragma once
// junit.xml from the run report: one <testcase> per expanded case, as Jenkins, GitLab and GitHub read it.
#include <string>

#include <nlohmann/json.hpp>

namespace mynasim::reports {

std::string render_junit(const nlohmann::json& report);

}  // namespace mynasim::reports
