#include "emulated_card.hpp"

#include "card/apdu_description.hpp"

namespace mynasim::transport {

EmulatedCard::EmulatedCard(std::shared_ptr<const card::CardDefinition> definition,
                           std::unique_ptr<RandomSource> random,
                           std::function<void(const card::CardState&)> on_counters_changed)
    : random_(std::move(random)), card_(std::move(definition), *random_),
      on_counters_changed_(std::move(on_counters_changed)) {
    card::power_off(card_.state());  // a card in the reader is unpowered until vpcd powers it
}

void EmulatedCard::note_event(const char* what) {
    TracedExchange traced;
    traced.at = std::chrono::system_clock::now();
    traced.event = what;
    trace_.push_back(std::move(traced));
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
    TracedExchange traced;
    traced.at = std::chrono::system_clock::now();
    traced.command.assign(apdu.begin(), apdu.end());
    traced.application_before = card_.state().session.current_application;
    traced.file_before = card_.state().session.current_file;
    // Only persistent profiles pay for watching the counters.
    std::optional<std::map<std::string, int>> counters_before;
    if (on_counters_changed_) counters_before = card_.state().tries_left;

    const card::CardOutcome outcome = card_.transmit(apdu);
    CardAnswer answer;
    answer.delay_ms = outcome.delay_ms;
    answer.torn = outcome.torn;
    if (outcome.response) answer.response = outcome.response->encode();
    traced.response = answer.response;
    traced.forced = outcome.forced;
    traced.torn = outcome.torn;
    trace_.push_back(std::move(traced));
    if (trace_.size() > trace_capacity) trace_.pop_front();
    if (counters_before && card_.state().tries_left != *counters_before) on_counters_changed_(card_.state());
    return answer;
}

card::ApduExchange EmulatedCard::describe(const TracedExchange& traced) const {
    card::ApduExchange e;
    if (traced.command.empty()) {
        e.command_text = traced.event;
        return e;
    }
    card::CardSession before;
    before.current_application = traced.application_before;
    before.current_file = traced.file_before;
    e.command = traced.command;
    e.response = traced.response;
    e.forced = traced.forced;
    e.torn = traced.torn;
    e.command_text = card::describe_command(card_.definition(), before, traced.command);
    e.response_text = e.response ? card::describe_response(*e.response) : (e.torn ? "(card torn out)" : "(no answer)");
    if (e.forced) e.response_text += " [forced by profile]";
    return e;
}

}  // namespace mynasim::transport
