#pragma once
// The card core: respond(definition, state, apdu) -> response, a pure state machine.
// No sockets, no files, no clock, no globals: latency and tearing are returned as instructions
// for the transport, randomness comes from the caller.
#include <memory>
#include <optional>

#include "card/apdu.hpp"
#include "card/card_definition.hpp"
#include "card/card_state.hpp"
#include "base/random_source.hpp"

namespace mynasim::card {

struct CardOutcome {
    std::optional<ResponseApdu> response;  // nullopt: the card does not answer (mute, torn or unpowered)
    std::uint32_t delay_ms = 0;            // the transport waits this long before answering
    bool torn = false;                     // the card has just been (or already was) pulled out
    bool forced = false;                   // the status word came from a profile fault
};

CardOutcome respond(const CardDefinition& definition, CardState& state, ByteView apdu, RandomSource& random);

// Convenience owner of one definition + state + randomness, used by the CLI, transports and tests.
class Card {
public:
    Card(std::shared_ptr<const CardDefinition> definition, RandomSource& random);

    CardOutcome transmit(ByteView apdu) { return respond(*definition_, state_, apdu, random_); }
    const CardDefinition& definition() const { return *definition_; }
    CardState& state() { return state_; }
    const CardState& state() const { return state_; }
    std::shared_ptr<const CardDefinition> shared_definition() const { return definition_; }

private:
    std::shared_ptr<const CardDefinition> definition_;
    CardState state_;
    RandomSource& random_;
};

}  // namespace mynasim::card
