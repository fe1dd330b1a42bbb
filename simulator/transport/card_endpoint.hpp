#pragma once
// What a transport needs from a card: the small interface every transport (vpcd, in-process, a
// future own reader driver) drives. Kept as small as pcsc-lite's reader-driver interface.
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"

namespace mynasim::transport {

struct CardAnswer {
    std::optional<Bytes> response;  // nullopt: the card does not answer
    std::uint32_t delay_ms = 0;      // wait this long before answering
    bool torn = false;               // the card has been pulled out: disconnect
};

class CardEndpoint {
public:
    virtual ~CardEndpoint() = default;
    virtual Bytes atr() const = 0;
    virtual void power_on() = 0;
    virtual void power_off() = 0;
    virtual void reset() = 0;
    virtual CardAnswer transmit(ByteView apdu) = 0;
};

}  // namespace mynasim::transport
