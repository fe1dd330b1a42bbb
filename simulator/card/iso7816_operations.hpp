#pragma once
// The ISO 7816-4 base operations every application of this card starts from: SELECT (an EF by FID),
// READ BINARY and VERIFY, with CLA 00, and the status words of operations.hpp for anything else.
// Applications copy iso7816_operations() and override or add entries (jpki_application.cpp, …); an
// override may call the base operation, or use the helpers, for what it does not change.
#include <cstdint>
#include <string>

#include "card/operations.hpp"

namespace mynasim::card {

namespace ins {
inline constexpr std::uint8_t select = 0xA4;
inline constexpr std::uint8_t read_binary = 0xB0;
inline constexpr std::uint8_t verify = 0x20;
}  // namespace ins

inline constexpr std::uint8_t cla_iso = 0x00;

// SELECT, READ BINARY and VERIFY below, each with CLA 00.
Operations iso7816_operations();

namespace iso7816 {

// SELECT EF by FID: 00 A4 02 0C 02 FID. (SELECT by AID, P1 = 04, is the card's: it picks the application.)
ResponseApdu select_file(const CommandApdu& command, CommandContext& context);
// READ BINARY: offset in P1P2 (P1 bit 8 clear) or SFI in P1 (bit 8 set) with offset in P2; the file's
// read rule (free, after its PIN, after 特定機関認証) decides access.
ResponseApdu read_binary(const CommandApdu& command, CommandContext& context);
// VERIFY: 00 20 00 80 [Lc PIN] against the current PIN EF, or P2 = 80|SFI; without data it only reports
// the counter.
ResponseApdu verify(const CommandApdu& command, CommandContext& context);

// Helpers for overrides and for applications' own commands.
const ElementaryFile* current_file(const CommandContext& context);
bool pin_verified(const CommandContext& context, const std::string& pin_id);
// P1 = 00 and P2 = 80 (the current EF) or 80|SFI, naming an EF of `kind` (VERIFY, signature):
// the EF, or nullptr and the status word that refuses the command.
struct FileReference {
    const ElementaryFile* file;
    StatusWord refused;
};
FileReference referenced_file(const CommandApdu& command, const CommandContext& context, FileKind kind);

}  // namespace iso7816

}  // namespace mynasim::card
