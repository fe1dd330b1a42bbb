#include "emulated_card.hpp"

namespace mynasim::transport {

EmulatedCard::EmulatedCard(std::shared_ptr<const card::CardDefinition> definition,
                           std::unique_ptr<card::RandomSource> random,
                           std::function<void(const card::CardState&)> on_counters_changed)
    : random_(std::move(random)), card_(std::move(definition), *random_),
      on_counters_changed_(std::move(on_counters_changed)) {
    card::power_off(card_.state());  // a card in the reader is unpowered until vpcd powers it
}

void EmulatedCard::note_event(const char* what) {
    card::ApduExchange e;
    e.command_text = what;
    trace_.push_back({std::move(e), std::chrono::system_clock::now()});
    if (trace_.size() > trace_capacity) trace_.pop_front();
}

void EmulatedCard::power_on() {
    if (card_.state().torn) return;
    card::power_on(card_.state());
    note_event("(power on)");
}

void EmulatedCard::power_off() {
    card::power_off(card_.state());
    note_event("(power off)");
}

void EmulatedCard::reset() {
    if (card_.state().torn) return;
    card::reset(card_.state());
    note_event("(reset)");
}

CardAnswer EmulatedCard::transmit(ByteView apdu) {
    const auto before = card_.state().tries_left;
    auto e = card::exchange(card_, apdu);
    CardAnswer answer{e.response, e.delay_ms, e.torn};
    trace_.push_back({std::move(e), std::chrono::system_clock::now()});
    if (trace_.size() > trace_capacity) trace_.pop_front();
    if (on_counters_changed_ && card_.state().tries_left != before) on_counters_changed_(card_.state());
    return answer;
}

}  // namespace mynasim::transport
