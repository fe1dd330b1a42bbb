#pragma once
// A recorded command/response exchange, decoded for people. Used by the CLI, transports and reports.
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/card.hpp"

namespace mynasim::card {

struct ApduExchange {
    Bytes command;
    std::optional<Bytes> response;  // nullopt: no answer (mute, torn)
    std::string command_text;       // "SELECT JPKI AP"
    std::string response_text;      // "9000 OK"
    bool forced = false;            // status forced by a profile fault
    bool torn = false;
    std::uint32_t delay_ms = 0;
};

// Sends one APDU to `card` and describes the exchange (the description uses the state before the command).
ApduExchange exchange(Card& card, ByteView command);

// One line: "00A4040C0AD392F00026010000000001 → 9000 SELECT JPKI AP" (long response data shortened
// unless `full`).
std::string format_exchange(const ApduExchange& e, bool full = false);

}  // namespace mynasim::card
