// libFuzzer target: arbitrary text as a card profile. Must end in a profile or a LoadError, never a
// crash. `extends:` resolves against card-profiles/, so inheritance is exercised too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const mynasim::pki::TestPki pki;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto profile = mynasim::profile::load_profile_text(text, "fuzz.yaml",
                                                                 std::string(MYNASIM_SOURCE_DIR) + "/card-profiles");
        (void)mynasim::profile::make_card(profile, pki);
    } catch (const mynasim::yaml::LoadError&) {
    }
    return 0;
}
