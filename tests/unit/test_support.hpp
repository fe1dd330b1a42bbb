#pragma once
// Shared helpers for the unit tests: profiles by name, one TestPki, APDU shorthands.
#include <memory>
#include <string>

#include "card/card.hpp"
#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"

namespace mynasim::test {

inline std::string source_path(const std::string& relative) { return std::string(MYNASIM_SOURCE_DIR) + "/" + relative; }
inline std::string profile_path(const std::string& name) { return source_path("card-profiles/" + name + ".yaml"); }

inline const pki::TestPki& shared_pki() {
    static const pki::TestPki pki;
    return pki;
}

inline std::shared_ptr<const card::CardDefinition> card_definition(const std::string& profile_name) {
    return profile::make_card(profile::load_profile(profile_path(profile_name)), shared_pki());
}

// A card with its own seeded randomness, powered on.
struct TestCard {
    explicit TestCard(const std::string& profile_name, std::uint64_t seed = 7)
        : random(seed), card(card_definition(profile_name), random) {}
    mynasim::SeededRandom random;
    card::Card card;

    // Sends hex, returns the full response (data + SW) or an empty vector when the card does not answer.
    Bytes send(const std::string& hex) {
        const auto apdu = parse_hex(hex);
        if (!apdu) throw std::invalid_argument("bad hex in test: " + hex);
        auto outcome = card.transmit(*apdu);
        return outcome.response ? outcome.response->encode() : Bytes{};
    }
    card::StatusWord sw(const std::string& hex) {
        const Bytes r = send(hex);
        if (r.size() < 2) return 0;
        return static_cast<card::StatusWord>(r[r.size() - 2] << 8 | r[r.size() - 1]);
    }
};

inline const std::string select_jpki = "00A4040C0AD392F000260100000001";
inline const std::string select_kenmen_hojo = "00A4040C0AD3921000310001010408";
inline const std::string select_kenmen = "00A4040C0AD3921000310001010402";

}  // namespace mynasim::test
