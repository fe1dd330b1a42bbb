#pragma once
// ISO 7816-4 base behaviour shared by every application: SELECT EF, READ BINARY, VERIFY.
// An application overrides `handle_specific` for the commands only it knows (as OpenSC's card
// drivers start from iso7816.c and override what differs).
#include <optional>

#include "card/apdu.hpp"
#include "card/card_definition.hpp"
#include "card/card_state.hpp"
#include "base/random_source.hpp"

namespace mynasim::card {

struct CommandContext {
    const CardDefinition& card;
    const ApplicationDefinition& application;
    CardState& state;
    RandomSource& random;
};

class ApplicationBehaviour {
public:
    virtual ~ApplicationBehaviour() = default;
    // Handles a command addressed to the current application (SELECT by AID is handled by the card).
    ResponseApdu handle(const CommandApdu& command, CommandContext& context) const;

protected:
    // Application-specific commands; nullopt = not one of mine (the base then answers 6D 00 / 6E 00).
    virtual std::optional<ResponseApdu> handle_specific(const CommandApdu& command, CommandContext& context) const;

    // Helpers for subclasses.
    static const ElementaryFile* current_file(const CommandContext& context);
    static bool pin_verified(const CommandContext& context, const std::string& pin_id);
    // P1 = 00 and P2 = 80 (the current EF) or 80|SFI, naming an EF of `kind` (VERIFY, signature):
    // the EF, or nullptr and the status word that refuses the command.
    struct FileReference {
        const ElementaryFile* file;
        StatusWord refused;
    };
    static FileReference referenced_file(const CommandApdu& command, const CommandContext& context, FileKind kind);

private:
    ResponseApdu select_file(const CommandApdu& command, CommandContext& context) const;
    ResponseApdu read_binary(const CommandApdu& command, CommandContext& context) const;
    ResponseApdu verify(const CommandApdu& command, CommandContext& context) const;
};

// An application with only the ISO base (住基 AP, 共通 AP in this emulator).
class PlainApplication final : public ApplicationBehaviour {};

}  // namespace mynasim::card
