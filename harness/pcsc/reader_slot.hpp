#pragma once
// The sim daemon's reader: the card in it, whether it is meant to be inserted, and its link to vpcd.
// While the card is meant to be in, the slot keeps it connected (and reconnects after a pcscd restart);
// a removed card is simply not connected.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "pcsc/sim_card.hpp"
#include "pcsc/sim_daemon.hpp"
#include "transport/vpcd_link.hpp"

namespace mynasim::pcsc {

class ReaderSlot {
public:
    ReaderSlot(const SimOptions& options, SimCard card, bool inserted);

    void keep_link();   // connects when inserted and not connected (at most every 100 ms)
    int link_fd() const { return link_ ? link_->fd() : -1; }
    void serve_card();  // answers one APDU from vpcd; notes a tear or a closed link
    void drop_link() { link_.reset(); }

    // Puts the card (or the card of `profile_file`, when given) in and waits up to 5 s for vpcd to take it;
    // the error when it does not. A torn card put in again is whole again.
    std::optional<std::string> insert(const std::string& profile_file);
    bool remove();  // whether it was inserted
    void reset() { card_.endpoint->reset(); }

    bool inserted() const { return inserted_; }
    bool connected() const { return link_ != nullptr; }
    const SimCard& card() const { return card_; }
    SimCard& card() { return card_; }

private:
    using Clock = std::chrono::steady_clock;
    const SimOptions& options_;
    SimCard card_;
    std::unique_ptr<transport::VpcdLink> link_;
    bool inserted_;
    Clock::time_point next_connect_{};
};

}  // namespace mynasim::pcsc
