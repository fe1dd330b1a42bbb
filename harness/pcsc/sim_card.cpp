#include "sim_card.hpp"

#include <functional>
#include <optional>

#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"
#include "state/counter_store.hpp"

namespace mynasim::pcsc {

SimCard load_sim_card(const SimOptions& options, const std::string& profile_file) {
    SimCard loaded;
    if (options.echo_card) {
        loaded.name = "echo";
        loaded.endpoint = std::make_unique<transport::EchoCard>();
        return loaded;
    }
    static const pki::TestPki pki;
    const auto p = profile::load_profile(profile_file);
    auto definition = profile::make_card(p, pki);
    std::unique_ptr<RandomSource> random;
    if (options.seed) random = std::make_unique<SeededRandom>(*options.seed);
    else random = std::make_unique<SystemRandom>();
    std::function<void(const card::CardState&)> persist;
    std::optional<std::filesystem::path> counter_file;
    if (p.persist_counters) {
        counter_file = options.state_dir / (p.name + ".counters");
        persist = [file = *counter_file](const card::CardState& state) { state::save_counters(file, state.tries_left); };
    }
    auto emulated = std::make_unique<transport::EmulatedCard>(definition, std::move(random), persist);
    if (counter_file)
        state::restore_counters(*definition, emulated->card().state(), state::load_counters(*counter_file));
    loaded.profile_file = profile_file;
    loaded.name = p.name;
    loaded.person = p.person;
    loaded.emulated = emulated.get();
    loaded.endpoint = std::move(emulated);
    return loaded;
}

}  // namespace mynasim::pcsc
