#pragma once
// What a scenario is read against: where card profiles are and which requirement ids exist. Profiles are
// known here by name and path only (their existence is checked, their content is the profile loader's
// business), so scenarios need neither the profile loader nor the card.
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/requirements.hpp"

namespace mynasim::harness {

struct ScenarioContext {
    std::filesystem::path profile_dir;       // where profile names resolve (card-profiles/)
    std::vector<Requirement> requirements;   // ids scenarios may cite
};

// A profile name (card-profiles/NAME.yaml) or a path relative to the scenario's folder.
std::filesystem::path resolve_profile(const std::string& name, const std::filesystem::path& scenario_file,
                                      const ScenarioContext& context);

}  // namespace mynasim::harness
