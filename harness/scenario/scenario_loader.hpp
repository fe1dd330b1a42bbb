#pragma once
// Strict loading of scenarios (scenarios/README.md): unknown or duplicate keys, wrong types, unknown
// requirement ids, unknown profiles and undefined {parameters} are `file:line:col: message` errors
// (yaml::LoadError). Expansion of the matrix into cases with stable ids.
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace mynasim::harness {

struct Requirement {
    std::string id, source, text;  // source: the spec section it comes from
};

// scenarios/requirements.txt: one requirement per line, `ID  SOURCE  text`; `#` starts a comment.
std::vector<Requirement> load_requirements(const std::filesystem::path& file);

struct ScenarioContext {
    std::filesystem::path profile_dir;       // where profile names resolve (card-profiles/)
    std::vector<Requirement> requirements;   // ids scenarios may cite
};

// Files, or folders searched for *.yaml (sorted). Throws yaml::LoadError.
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths, const ScenarioContext& context);
Scenario load_scenario(const std::filesystem::path& file, const ScenarioContext& context);
Scenario load_scenario_text(const std::string& text, const std::string& name, const ScenarioContext& context);

// Every case of every scenario, in file order; duplicate case ids are an error. Throws yaml::LoadError.
std::vector<Case> expand(const std::vector<Scenario>& scenarios, const ScenarioContext& context);

// A profile name (card-profiles/NAME.yaml) or a path relative to the scenario's folder.
std::filesystem::path resolve_profile(const std::string& name, const std::filesystem::path& scenario_file,
                                      const ScenarioContext& context);

}  // namespace mynasim::harness
