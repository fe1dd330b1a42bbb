#include "card.hpp"

#include <algorithm>

#include "card/iso7816_operations.hpp"

namespace mynasim::card {

CardState initial_state(const CardDefinition& definition) {
    CardState state;
    for (const auto& pin : definition.pins) state.tries_left[pin.id] = pin.initial_tries_left;
    state.forced_uses.assign(definition.faults.forced.size(), 0);
    return state;
}

void power_on(CardState& state) {
    state.powered = true;
    state.session = CardSession{};
}

void reset(CardState& state) { power_on(state); }

void power_off(CardState& state) {
    state.powered = false;
    state.session = CardSession{};
}

namespace {

constexpr std::uint8_t p1_select_by_aid = 0x04;

// Before any application is selected the card behaves as an AP without files.
const ApplicationDefinition& no_application() {
    static const ApplicationDefinition root = [] {
        ApplicationDefinition app;
        app.name = "MF";
        app.operations = std::make_shared<const Operations>(iso7816_operations());
        return app;
    }();
    return root;
}

// SELECT by AID: 00 A4 04 0C Lc AID (P2 00 is accepted too; the card never returns an FCI).
ResponseApdu select_application(const CardDefinition& definition, CardState& state, const CommandApdu& command) {
    if (command.p2 != 0x0C && command.p2 != 0x00) return ResponseApdu::status(sw::wrong_p1_p2);
    if (command.data.size() < 5 || command.data.size() > 16) return ResponseApdu::status(sw::wrong_length);
    const ApplicationDefinition* app = definition.application(command.data);
    if (!app) return ResponseApdu::status(sw::file_not_found);
    state.session.current_application = static_cast<std::size_t>(app - definition.applications.data());
    state.session.current_file.reset();
    return ResponseApdu::status(sw::ok);
}

ResponseApdu dispatch(const CardDefinition& definition, CardState& state, ByteView raw, RandomSource& random) {
    const auto command = decode_command(raw);
    if (!command) return ResponseApdu::status(sw::wrong_length);
    if (command->cla != 0x00 && command->cla != 0x80) return ResponseApdu::status(sw::cla_not_supported);
    if (command->ins == ins::select && command->p1 == p1_select_by_aid) {
        if (command->cla != 0x00) return ResponseApdu::status(sw::cla_not_supported);
        return select_application(definition, state, *command);
    }
    const ApplicationDefinition& app = state.session.current_application
                                           ? definition.applications.at(*state.session.current_application)
                                           : no_application();
    CommandContext context{definition, app, state, random};
    return app.operations->handle(*command, context);
}

bool header_matches(const Bytes& prefix, ByteView apdu) {
    return prefix.size() <= apdu.size() && std::equal(prefix.begin(), prefix.end(), apdu.begin());
}

}  // namespace

CardOutcome respond(const CardDefinition& definition, CardState& state, ByteView apdu, RandomSource& random) {
    CardOutcome outcome;
    if (state.torn) {
        outcome.torn = true;
        return outcome;
    }
    if (!state.powered) return outcome;
    const auto& faults = definition.faults;
    if ((faults.tear_after && state.answered >= *faults.tear_after) || (state.tear_at && state.answered >= *state.tear_at)) {
        state.torn = true;
        state.powered = false;
        state.session = CardSession{};
        outcome.torn = true;
        return outcome;
    }
    if (faults.mute_after && state.answered >= *faults.mute_after) return outcome;

    state.forced_uses.resize(faults.forced.size(), 0);
    for (std::size_t i = 0; i < faults.forced.size(); ++i) {
        const auto& rule = faults.forced[i];
        if (!header_matches(rule.header_prefix, apdu)) continue;
        if (rule.times && state.forced_uses[i] >= *rule.times) continue;
        ++state.forced_uses[i];
        outcome.response = ResponseApdu::status(rule.sw);
        outcome.forced = true;
        break;
    }
    if (!outcome.response) outcome.response = dispatch(definition, state, apdu, random);
    ++state.answered;
    outcome.delay_ms = faults.latency_ms;
    return outcome;
}

Card::Card(std::shared_ptr<const CardDefinition> definition, RandomSource& random)
    : definition_(std::move(definition)), state_(initial_state(*definition_)), random_(random) {
    power_on(state_);
}

}  // namespace mynasim::card
