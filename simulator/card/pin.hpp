#pragma once
// PIN policies and checks. The retry counter lives in CardState; the secret lives in the definition.
#include <cstddef>
#include <string>

#include "base/bytes.hpp"

namespace mynasim::card {

enum class PinAlphabet { Digits, UpperAlphanumeric };

struct PinPolicy {
    std::size_t min_length = 4;
    std::size_t max_length = 4;
    PinAlphabet alphabet = PinAlphabet::Digits;
    int max_tries = 3;
};

// The card's PINs by role. Ids are stable strings used in profiles, state files and traces.
inline constexpr const char* auth_pin_id = "auth";                 // JPKI 利用者証明用 PIN, EF 0018
inline constexpr const char* sign_pin_id = "sign";                 // JPKI 署名用 PIN, EF 001B
inline constexpr const char* kenmen_hojo_pin_id = "kenmen_hojo";   // 券面事項入力補助 PIN, EF 0011

PinPolicy auth_pin_policy();         // 4 digits, 3 tries
PinPolicy sign_pin_policy();         // 6-16 of A-Z 0-9, 5 tries
PinPolicy kenmen_hojo_pin_policy();  // 4 digits, 3 tries

struct PinDefinition {
    std::string id;
    PinPolicy policy;
    std::string value;
    int initial_tries_left = 3;
    // False: no PIN was ever set (顔認証マイナンバーカード): every VERIFY, the query of the counter too,
    // answers 69 84 and nothing changes (MODELED, docs/card-model.md).
    bool set = true;
};

// True when `candidate` has an allowed length and only allowed characters.
bool pin_well_formed(const PinPolicy& policy, ByteView candidate);
// Same check for a configured PIN value; returns an empty string or a reason ("must be 4 digits").
std::string pin_value_problem(const PinPolicy& policy, const std::string& value);

}  // namespace mynasim::card
