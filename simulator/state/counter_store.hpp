#pragma once
// Retry counters that outlive the emulator process, for profiles with `persist_counters: true`:
// a lockout must never be undone by restarting the emulator or re-inserting the card.
// File format: one "<pin id>=<tries left>" per line, e.g. "auth=0".
#include <filesystem>
#include <map>
#include <string>

#include "card/card_definition.hpp"
#include "card/card_state.hpp"

namespace mynasim::state {

class StateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Missing file: empty map. Malformed line: StateError "file:line: message".
std::map<std::string, int> load_counters(const std::filesystem::path& path);
// Writes atomically (temporary file + rename); creates the directory.
void save_counters(const std::filesystem::path& path, const std::map<std::string, int>& counters);
// Applies saved counters for the PINs the card has, clamped to each PIN's maximum.
void restore_counters(const card::CardDefinition& definition, card::CardState& state,
                      const std::map<std::string, int>& saved);

}  // namespace mynasim::state
