#include "operations.hpp"

namespace mynasim::card {

Operations& Operations::set(std::uint8_t ins, std::uint8_t cla, Operation operation) {
    commands_.insert_or_assign(ins, Command{cla, std::move(operation)});
    return *this;
}

const Operation* Operations::find(std::uint8_t ins) const {
    const auto it = commands_.find(ins);
    return it == commands_.end() ? nullptr : &it->second.run;
}

std::vector<std::uint8_t> Operations::instructions() const {
    std::vector<std::uint8_t> out;
    for (const auto& [ins, command] : commands_) out.push_back(ins);
    return out;
}

ResponseApdu Operations::handle(const CommandApdu& command, CommandContext& context) const {
    const auto it = commands_.find(command.ins);
    if (it == commands_.end()) return ResponseApdu::status(sw::ins_not_supported);
    if (command.cla != it->second.cla) return ResponseApdu::status(sw::cla_not_supported);
    return it->second.run(command, context);
}

}  // namespace mynasim::card
