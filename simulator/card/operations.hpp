#pragma once
// An application's operations: its commands by instruction byte, each with the class byte it is sent
// with. An application starts from a copy of the ISO 7816 base (iso7816_operations()) and replaces or adds
// the entries it does differently, as OpenSC's card drivers copy iso7816's sc_card_operations and
// override a few of them. The table also gives the base status words: an instruction the application
// does not have gets 6D 00, one it has sent with another class gets 6E 00.
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "base/random_source.hpp"
#include "card/apdu.hpp"
#include "card/card_definition.hpp"
#include "card/card_state.hpp"

namespace mynasim::card {

struct CommandContext {
    const CardDefinition& card;
    const ApplicationDefinition& application;
    CardState& state;
    RandomSource& random;
};

// One command's work once it is known to be this application's: from P1/P2 on.
using Operation = std::function<ResponseApdu(const CommandApdu&, CommandContext&)>;

class Operations {
public:
    // Adds the command, or overrides the operation this application had for `ins`.
    Operations& set(std::uint8_t ins, std::uint8_t cla, Operation operation);
    // The operation for `ins` (for an override that does some work and leaves the rest to it), or nullptr.
    const Operation* find(std::uint8_t ins) const;
    std::vector<std::uint8_t> instructions() const;  // in ascending order

    // A command addressed to the current application (SELECT by AID is the card's).
    ResponseApdu handle(const CommandApdu& command, CommandContext& context) const;

private:
    struct Command {
        std::uint8_t cla;
        Operation run;
    };
    std::map<std::uint8_t, Command> commands_;
};

}  // namespace mynasim::card
