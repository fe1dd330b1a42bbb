#include "scenario_context.hpp"

namespace mynasim::harness {

namespace fs = std::filesystem;

fs::path resolve_profile(const std::string& name, const fs::path& scenario_file, const ScenarioContext& context) {
    if (name.find('/') != std::string::npos || (name.size() > 5 && name.substr(name.size() - 5) == ".yaml")) {
        const fs::path relative = fs::path(scenario_file).parent_path() / name;
        return fs::path(name).is_absolute() ? fs::path(name) : relative;
    }
    return context.profile_dir / (name + ".yaml");
}

}  // namespace mynasim::harness
