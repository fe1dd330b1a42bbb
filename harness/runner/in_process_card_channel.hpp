#pragma once
// client::CardChannel over the card core in this process: client::JpkiCard, the one host-side JPKI
// driver, reaches a card::Card without PC/SC (`mynasim card session`, the unit tests). It lives in the
// harness because it needs both: the reference client must not link the card core, and the core must
// not know the client.
#include <vector>

#include "card/apdu_trace.hpp"
#include "card/card.hpp"
#include "client/card_channel.hpp"

namespace mynasim::harness {

class InProcessCardChannel : public client::CardChannel {
public:
    explicit InProcessCardChannel(card::Card& card) : card_(card) {}

    // Throws client::CardError when the card does not answer (Removed when it was torn out, else Mute).
    Bytes transmit(const Bytes& command) override;

    // Every exchange so far, decoded, the unanswered one included.
    const std::vector<card::ApduExchange>& exchanges() const { return exchanges_; }

private:
    card::Card& card_;
    std::vector<card::ApduExchange> exchanges_;
};

}  // namespace mynasim::harness
