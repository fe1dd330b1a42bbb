// libFuzzer target: arbitrary APDU sequences against a valid card. Input format: repeated
// [length byte][APDU bytes]; a length of 0xFF resets the card. Any crash, leak or UB is a bug.
#include <cstddef>
#include <cstdint>

#include "card/apdu_trace.hpp"
#include "card/card.hpp"
#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"

namespace {
std::shared_ptr<const mynasim::card::CardDefinition> definition() {
    static const auto card = [] {
        const mynasim::pki::TestPki pki;
        return mynasim::profile::make_card(
            mynasim::profile::load_profile(std::string(MYNASIM_SOURCE_DIR) + "/card-profiles/valid.yaml"), pki);
    }();
    return card;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mynasim::SeededRandom random(1);
    mynasim::card::Card card(definition(), random);
    std::size_t i = 0;
    while (i < size) {
        const std::size_t length = data[i++];
        if (length == 0xFF) {
            mynasim::card::reset(card.state());
            continue;
        }
        const std::size_t n = std::min(length, size - i);
        // Through the describing path too: traces must survive any input.
        (void)mynasim::card::exchange(card, mynasim::ByteView(data + i, n));
        i += n;
    }
    return 0;
}
