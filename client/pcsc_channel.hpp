#pragma once
// The card through PC/SC (libpcsclite): the daemon named by PCSCLITE_CSOCK_NAME, a reader by name or
// the first one holding a card, a shared connection inside a transaction for the whole session.
#include <chrono>
#include <memory>
#include <string>

#include "client/card_channel.hpp"

namespace mynasim::client {

class PcscChannel : public CardChannel {
public:
    // Throws CardError (NoService, NoReader, NoCard, Other) naming what it looked for and found.
    PcscChannel(const std::string& reader_name, std::chrono::milliseconds card_timeout);
    ~PcscChannel() override;
    PcscChannel(const PcscChannel&) = delete;
    PcscChannel& operator=(const PcscChannel&) = delete;

    // A card that takes longer than the timeout to answer is reported Mute; the channel is then unusable.
    Bytes transmit(const Bytes& command) override;
    const std::string& reader() const { return reader_; }

private:
    struct Handles;
    std::shared_ptr<Handles> handles_;  // shared with a transmit still running after a timeout
    std::string reader_;
    std::chrono::milliseconds card_timeout_;
};

}  // namespace mynasim::client
