#pragma once
// The card a sim daemon puts in its reader: a profile-driven emulated card, with its PIN counters kept
// across restarts when the profile asks for it, or the benchmark's echo card.
#include <memory>
#include <string>

#include "pcsc/sim_daemon.hpp"
#include "transport/card_endpoint.hpp"
#include "transport/emulated_card.hpp"

namespace mynasim::pcsc {

struct SimCard {
    std::string profile_file;
    std::string name;
    std::string person;
    std::unique_ptr<transport::CardEndpoint> endpoint;
    transport::EmulatedCard* emulated = nullptr;  // null for the echo card
};

// Throws with file:line:col when the profile is bad.
SimCard load_sim_card(const SimOptions& options, const std::string& profile_file);

}  // namespace mynasim::pcsc
