#pragma once
// Making a live card from a profile for the CLI: PKI, persistent counters, randomness.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "card/card.hpp"
#include "pki/authorities.hpp"
#include "profile/profile.hpp"

namespace mynasim::cli {

// Default directory for persistent counters: $MYNASIM_STATE_DIR, else $XDG_STATE_HOME/mynasim,
// else ~/.local/state/mynasim.
std::filesystem::path default_state_dir();

class CardRuntime {
public:
    // Loads and builds; throws yaml::LoadError / state::StateError.
    CardRuntime(const std::string& profile_file, const std::filesystem::path& state_dir,
                std::optional<std::uint64_t> seed);
    card::Card& card() { return *card_; }
    const profile::CardProfile& profile() const { return profile_; }
    const pki::TestPki& pki() const { return pki_; }
    // Where counters persist, when the profile asks for it.
    std::optional<std::filesystem::path> counter_file() const { return counter_file_; }
    // Saves the counters when the profile persists them.
    void save();

private:
    profile::CardProfile profile_;
    pki::TestPki pki_;
    std::unique_ptr<RandomSource> random_;
    std::unique_ptr<card::Card> card_;
    std::optional<std::filesystem::path> counter_file_;
};

}  // namespace mynasim::cli
