#pragma once
// Strict loading of card profiles with `extends:` inheritance. Every problem is a yaml::LoadError
// carrying file:line:col.
#include <string>
#include <string_view>
#include <vector>

#include "profile/profile.hpp"

namespace mynasim::profile {

// Loads `path`, following `extends:` (relative to the file that names it; ".yaml" may be omitted).
CardProfile load_profile(const std::string& path);
// Loads from memory; `extends:` is resolved against `base_dir`.
CardProfile load_profile_text(std::string_view text, const std::string& name, const std::string& base_dir);

// Checks a fully merged profile (required keys, PIN formats, certificate times); throws LoadError.
void validate_profile(const CardProfile& profile);

}  // namespace mynasim::profile
