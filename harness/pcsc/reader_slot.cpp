#include "reader_slot.hpp"

#include <unistd.h>

#include "pcsc/private_pcscd.hpp"
#include "pcsc/sim_log.hpp"

namespace mynasim::pcsc {

ReaderSlot::ReaderSlot(const SimOptions& options, SimCard card, bool inserted)
    : options_(options), card_(std::move(card)), inserted_(inserted) {}

void ReaderSlot::keep_link() {
    if (!inserted_ || link_) return;
    const auto now = Clock::now();
    if (now < next_connect_) return;
    next_connect_ = now + std::chrono::milliseconds(100);
    const int fd = transport::VpcdLink::connect_loopback(vpcd_port);
    if (fd < 0) return;
    link_ = std::make_unique<transport::VpcdLink>(fd);
    log_line("card inserted (connected to vpcd)");
}

void ReaderSlot::serve_card() {
    const auto status = link_->serve_one(*card_.endpoint);
    if (status == transport::LinkStatus::Open) return;
    if (status == transport::LinkStatus::Torn) {
        log_line("card torn out (a profile fault, or sim ctl tear-after)");
        inserted_ = false;
    } else {
        log_line("vpcd link closed (" + link_->last_error() + "); reconnecting while inserted");
    }
    link_.reset();
}

std::optional<std::string> ReaderSlot::insert(const std::string& profile_file) {
    if (!profile_file.empty()) {
        SimCard replacement = load_sim_card(options_, profile_file);  // throws with file:line:col
        link_.reset();
        card_ = std::move(replacement);
        log_line("card replaced: " + card_.name);
    } else if (card_.emulated && card_.emulated->card().state().torn) {
        // Re-inserting a torn card: it is whole again (its fault may tear it again).
        auto& state = card_.emulated->card().state();
        state.torn = false;
        state.answered = 0;
        state.tear_at.reset();
    }
    inserted_ = true;
    next_connect_ = Clock::now();
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (!link_ && Clock::now() < deadline) {
        keep_link();
        if (!link_) ::usleep(20000);
    }
    if (!link_) return "vpcd does not accept the card (is pcscd running? see pcscd.log)";
    return std::nullopt;
}

bool ReaderSlot::remove() {
    const bool was = inserted_;
    inserted_ = false;
    if (link_) {
        link_.reset();
        log_line("card removed");
    }
    if (card_.emulated) card_.emulated->power_off();
    return was;
}

}  // namespace mynasim::pcsc
