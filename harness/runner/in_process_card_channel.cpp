#include "in_process_card_channel.hpp"

#include <chrono>
#include <thread>

namespace mynasim::harness {

Bytes InProcessCardChannel::transmit(const Bytes& command) {
    exchanges_.push_back(card::exchange(card_, command));
    const card::ApduExchange& e = exchanges_.back();
    // In-process, this channel is the transport: it honours the card's latency fault.
    if (e.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(e.delay_ms));
    if (!e.response)
        throw client::CardError(e.torn ? client::CardFault::Removed : client::CardFault::Mute, e.command_text + ": " + e.response_text);
    return *e.response;
}

}  // namespace mynasim::harness
