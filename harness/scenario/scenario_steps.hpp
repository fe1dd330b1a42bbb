#pragma once
// A scenario's setup and steps (with their expectations and faults), read through ScenarioValues: once at
// load to check them as written, then once per case with its parameters (matrix_expansion).
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/scenario_values.hpp"

namespace mynasim::harness {

// From the scenario's root mapping; `setup` and `steps` are required. Throws yaml::LoadError.
Setup load_setup(const ScenarioValues& values, const YAML::Node& root);
std::vector<Step> load_steps(const ScenarioValues& values, const YAML::Node& root);

}  // namespace mynasim::harness
