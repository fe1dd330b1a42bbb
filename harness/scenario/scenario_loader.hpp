#pragma once
// Strict loading of scenario files (scenarios/README.md): unknown or duplicate keys, wrong types, unknown
// requirement ids and undefined {parameters} are `file:line:col: message` errors (yaml::LoadError).
// Matrix expansion into cases is matrix_expansion.hpp, included here for callers that do both.
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/matrix_expansion.hpp"
#include "scenario/requirements.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scenario_context.hpp"

namespace mynasim::harness {

// Files, or folders searched for *.yaml (sorted; data/ folders hold datasets and are skipped).
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths, const ScenarioContext& context);
Scenario load_scenario(const std::filesystem::path& file, const ScenarioContext& context);
Scenario load_scenario_text(const std::string& text, const std::string& name, const ScenarioContext& context);

}  // namespace mynasim::harness
