#pragma once
// Waivers: a YAML file of case ids (or globs) with the reason each may fail. A waived case shows as
// waived with its reason and its failures, never silently skipped; a waiver that matched nothing is reported.
#include <filesystem>
#include <string>
#include <vector>

#include "base/yaml_strict.hpp"

namespace mynasim::harness {

struct Waiver {
    std::string id;      // a case id, or a glob over case ids
    std::string reason;  // required: who accepted what, and why
    yaml::SourceLocation where;
};

// waivers: 1
// entries: [{id: "pin-wrong[card=valid,left=2]", reason: "…"}]
std::vector<Waiver> load_waivers(const std::filesystem::path& file);  // throws yaml::LoadError

// The first waiver covering `case_id`, or nullptr.
const Waiver* find_waiver(const std::vector<Waiver>& waivers, const std::string& case_id);

}  // namespace mynasim::harness
