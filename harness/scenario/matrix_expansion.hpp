#pragma once
// A scenario's matrix expanded into cases: rows as written, or every combination of the parameters' values;
// each case with a stable id, its own setup and steps ({parameters} substituted, then typed and checked),
// and its profiles and dataset found.
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/scenario_context.hpp"

namespace mynasim::harness {

// Every case of every scenario, in file order; duplicate case ids are an error. Throws yaml::LoadError.
std::vector<Case> expand(const std::vector<Scenario>& scenarios, const ScenarioContext& context);

}  // namespace mynasim::harness
