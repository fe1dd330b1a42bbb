#pragma once
// How the reference client reaches a card: one APDU in, the answer (data + status word) out. PC/SC is
// the real implementation; tests may use another. Failures of the path (not of a command) throw CardError.
#include <stdexcept>
#include <string>

#include "base/bytes.hpp"

namespace mynasim::client {

enum class CardFault {
    NoService,  // no PC/SC daemon to talk to
    NoReader,   // no reader, or not the one asked for
    NoCard,     // reader without a card
    Removed,    // the card went away during the transaction
    Mute,       // the card did not answer (or answered too late)
    Other,
};

class CardError : public std::runtime_error {
public:
    CardError(CardFault fault, const std::string& message) : std::runtime_error(message), fault_(fault) {}
    CardFault fault() const { return fault_; }

private:
    CardFault fault_;
};

class CardChannel {
public:
    virtual ~CardChannel() = default;
    // The full answer, status word included (at least 2 bytes). Throws CardError.
    virtual Bytes transmit(const Bytes& command) = 0;
};

}  // namespace mynasim::client
