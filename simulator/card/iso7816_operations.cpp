#include "iso7816_operations.hpp"

#include <algorithm>

namespace mynasim::card {

namespace {
constexpr std::uint8_t p2_no_response_data = 0x0C;
}  // namespace

Operations iso7816_operations() {
    Operations operations;
    operations.set(ins::select, cla_iso, iso7816::select_file);
    operations.set(ins::read_binary, cla_iso, iso7816::read_binary);
    operations.set(ins::verify, cla_iso, iso7816::verify);
    return operations;
}

namespace iso7816 {

const ElementaryFile* current_file(const CommandContext& context) {
    if (!context.state.session.current_file) return nullptr;
    return context.application.file(*context.state.session.current_file);
}

FileReference referenced_file(const CommandApdu& command, const CommandContext& context, FileKind kind) {
    if (command.p1 != 0x00 || (command.p2 & 0xE0) != 0x80) return {nullptr, sw::wrong_p1_p2};
    if (command.p2 == 0x80) {
        const ElementaryFile* file = current_file(context);
        if (!file) return {nullptr, sw::no_current_ef};
        if (file->kind != kind) return {nullptr, sw::incompatible_file_structure};
        return {file, sw::ok};
    }
    const ElementaryFile* file = context.application.file_by_sfi(static_cast<std::uint8_t>(command.p2 & 0x1F));
    if (!file || file->kind != kind) return {nullptr, sw::referenced_data_not_found};
    return {file, sw::ok};
}

bool pin_verified(const CommandContext& context, const std::string& pin_id) {
    return context.state.session.verified_pins.contains(pin_id);
}

ResponseApdu select_file(const CommandApdu& command, CommandContext& context) {
    if (command.p1 != 0x02 || command.p2 != p2_no_response_data) return ResponseApdu::status(sw::wrong_p1_p2);
    if (command.data.size() != 2 || command.apdu_case == ApduCase::Case2)
        return ResponseApdu::status(sw::wrong_length);
    const auto fid = static_cast<std::uint16_t>(command.data[0] << 8 | command.data[1]);
    if (!context.application.file(fid)) return ResponseApdu::status(sw::file_not_found);
    context.state.session.current_file = fid;
    return ResponseApdu::status(sw::ok);
}

ResponseApdu read_binary(const CommandApdu& command, CommandContext& context) {
    std::size_t offset = 0;
    const ElementaryFile* file = nullptr;
    if (command.p1 & 0x80) {
        if (command.p1 & 0x60) return ResponseApdu::status(sw::wrong_p1_p2);
        const auto sfi = static_cast<std::uint8_t>(command.p1 & 0x1F);
        if (sfi == 0) return ResponseApdu::status(sw::wrong_p1_p2);
        if (command.apdu_case != ApduCase::Case2) return ResponseApdu::status(sw::wrong_length);
        file = context.application.file_by_sfi(sfi);
        if (!file) return ResponseApdu::status(sw::file_not_found);
        context.state.session.current_file = file->fid;  // the SFI form also selects the EF
        offset = command.p2;
    } else {
        if (command.apdu_case != ApduCase::Case2) return ResponseApdu::status(sw::wrong_length);
        file = current_file(context);
        if (!file) return ResponseApdu::status(sw::no_current_ef);
        offset = static_cast<std::size_t>(command.p1) << 8 | command.p2;
    }
    if (file->kind != FileKind::Binary) return ResponseApdu::status(sw::incompatible_file_structure);
    if (file->read == ReadRule::AfterPin && !pin_verified(context, file->pin_id))
        return ResponseApdu::status(sw::security_status_not_satisfied);
    if (file->read == ReadRule::AfterInstitutionAuth && !context.state.session.institution_authenticated)
        return ResponseApdu::status(sw::security_status_not_satisfied);
    if (offset >= file->data.size()) return ResponseApdu::status(sw::offset_outside_ef);

    const std::size_t wanted = *command.le;
    const std::size_t available = file->data.size() - offset;
    const std::size_t count = std::min(wanted, available);
    ResponseApdu answer;
    answer.data.assign(file->data.begin() + static_cast<std::ptrdiff_t>(offset),
                       file->data.begin() + static_cast<std::ptrdiff_t>(offset + count));
    answer.sw = count < wanted ? sw::end_of_file_before_le : sw::ok;
    return answer;
}

// Without data VERIFY never decrements the counter (OpenSC sends it on every bind).
ResponseApdu verify(const CommandApdu& command, CommandContext& context) {
    const auto [file, refused] = referenced_file(command, context, FileKind::Pin);
    if (!file) return ResponseApdu::status(refused);
    if (command.apdu_case == ApduCase::Case2 || command.apdu_case == ApduCase::Case4)
        return ResponseApdu::status(sw::wrong_length);

    const PinDefinition* pin = context.card.pin(file->pin_id);
    if (!pin) return ResponseApdu::status(sw::referenced_data_not_found);
    if (!pin->set) return ResponseApdu::status(sw::reference_data_not_usable);
    int& tries = context.state.tries_left[pin->id];
    // A blocked PIN reports 63 C0 here, not 69 83: OpenSC's jpki driver only accepts 63 xx for this
    // query and would otherwise refuse the whole token (the spec allows either).
    if (command.apdu_case == ApduCase::Case1) return ResponseApdu::status(sw::tries_left(std::max(tries, 0)));
    if (tries <= 0) return ResponseApdu::status(sw::authentication_method_blocked);
    // MODELED: a PIN of the wrong length or alphabet is refused without costing a try.
    if (!pin_well_formed(pin->policy, command.data)) return ResponseApdu::status(sw::wrong_data);

    const bool match = command.data.size() == pin->value.size() &&
                       std::equal(command.data.begin(), command.data.end(), pin->value.begin(),
                                  [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
    if (!match) {
        --tries;
        context.state.session.verified_pins.erase(pin->id);
        return ResponseApdu::status(sw::tries_left(tries));
    }
    tries = pin->policy.max_tries;
    context.state.session.verified_pins.insert(pin->id);
    return ResponseApdu::status(sw::ok);
}

}  // namespace iso7816

}  // namespace mynasim::card
