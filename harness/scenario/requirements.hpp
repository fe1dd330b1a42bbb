#pragma once
// The requirement ids scenarios cite (scenarios/requirements.txt).
#include <filesystem>
#include <string>
#include <vector>

namespace mynasim::harness {

struct Requirement {
    std::string id, source, text;  // source: the spec section it comes from
};

// One requirement per line, `ID  SOURCE  text`; `#` starts a comment. Throws yaml::LoadError (file:line:1)
// for a malformed line or a duplicate id.
std::vector<Requirement> load_requirements(const std::filesystem::path& file);

}  // namespace mynasim::harness
