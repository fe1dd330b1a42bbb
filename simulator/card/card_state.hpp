#pragma once
// What a card is doing: selection, session security status, and the persistent retry counters.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "crypto/openssl_handles.hpp"

namespace mynasim::card {

struct CardDefinition;

// Cleared by power-off and reset.
struct CardSession {
    std::optional<std::size_t> current_application;  // index into CardDefinition::applications
    std::optional<std::uint16_t> current_file;
    std::set<std::string> verified_pins;
    std::optional<Bytes> challenge;                   // last GET CHALLENGE, consumed by EXTERNAL AUTHENTICATE
    crypto::SharedKey institution_key;                // from a verified 特定機関 certificate
    bool institution_authenticated = false;
};

struct CardState {
    // Persistent card state: survives reset and removal; saved across restarts when the profile asks.
    std::map<std::string, int> tries_left;

    bool powered = false;
    CardSession session;

    // Fault bookkeeping since the card was made (not cleared by reset: a fault is about the card).
    std::uint64_t answered = 0;
    bool torn = false;
    std::optional<std::uint64_t> tear_at;  // armed at run time (a scenario step): torn when `answered` reaches it
    std::vector<std::uint32_t> forced_uses;
};

CardState initial_state(const CardDefinition& definition);
void power_on(CardState& state);   // cold reset: fresh session
void reset(CardState& state);      // warm reset: fresh session
void power_off(CardState& state);

}  // namespace mynasim::card
