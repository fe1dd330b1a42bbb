#pragma once
// Adapts the I/O-free card core to the transport interface, keeping a bounded, decoded trace.
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "card/apdu_trace.hpp"
#include "card/card.hpp"
#include "transport/card_endpoint.hpp"

namespace mynasim::transport {

// What the trace keeps per exchange: raw bytes and the little state needed to describe them later
// (describing costs more than the card itself, so it is done only when someone reads the trace).
struct TracedExchange {
    std::chrono::system_clock::time_point at;
    Bytes command;                     // empty for a power event
    std::optional<Bytes> response;     // nullopt: no answer
    std::string event;                 // "(power on)" etc. for power events
    std::optional<std::size_t> application_before;
    std::optional<std::uint16_t> file_before;
    bool forced = false;
    bool torn = false;
};

class EmulatedCard final : public CardEndpoint {
public:
    // `on_counters_changed` runs after an APDU changed a retry counter (to persist it).
    EmulatedCard(std::shared_ptr<const card::CardDefinition> definition, std::unique_ptr<RandomSource> random,
                 std::function<void(const card::CardState&)> on_counters_changed = {});

    Bytes atr() const override { return card_.definition().atr; }
    void power_on() override;
    void power_off() override;
    void reset() override;
    CardAnswer transmit(ByteView apdu) override;

    card::Card& card() { return card_; }
    const std::deque<TracedExchange>& trace() const { return trace_; }
    // The decoded form of a traced exchange (as card::exchange would have described it).
    card::ApduExchange describe(const TracedExchange& traced) const;
    static constexpr std::size_t trace_capacity = 2000;

private:
    void note_event(const char* what);
    std::unique_ptr<RandomSource> random_;
    card::Card card_;
    std::function<void(const card::CardState&)> on_counters_changed_;
    std::deque<TracedExchange> trace_;
};

// The path's limit for benchmarks: answers every APDU with 90 00 and does nothing else.
class EchoCard final : public CardEndpoint {
public:
    Bytes atr() const override { return {0x3B, 0x02, 0x14, 0x50}; }
    void power_on() override {}
    void power_off() override {}
    void reset() override {}
    CardAnswer transmit(ByteView) override { return CardAnswer{Bytes{0x90, 0x00}, 0, false}; }
};

}  // namespace mynasim::transport
