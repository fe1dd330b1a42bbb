#include "card_runtime.hpp"

#include <cstdlib>

#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"
#include "state/counter_store.hpp"

namespace mynasim::cli {

std::filesystem::path default_state_dir() {
    if (const char* dir = std::getenv("MYNASIM_STATE_DIR"); dir && *dir) return dir;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "mynasim";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "state" / "mynasim";
    return std::filesystem::current_path() / ".mynasim-state";
}

CardRuntime::CardRuntime(const std::string& profile_file, const std::filesystem::path& state_dir,
                         std::optional<std::uint64_t> seed)
    : profile_(profile::load_profile(profile_file)) {
    if (seed) random_ = std::make_unique<SeededRandom>(*seed);
    else random_ = std::make_unique<SystemRandom>();
    card_ = std::make_unique<card::Card>(profile::make_card(profile_, pki_), *random_);
    if (profile_.persist_counters) {
        counter_file_ = state_dir / (profile_.name + ".counters");
        state::restore_counters(card_->definition(), card_->state(), state::load_counters(*counter_file_));
    }
}

void CardRuntime::save() {
    if (counter_file_) state::save_counters(*counter_file_, card_->state().tries_left);
}

}  // namespace mynasim::cli
