#include "pin.hpp"

namespace mynasim::card {

PinPolicy auth_pin_policy() { return PinPolicy{4, 4, PinAlphabet::Digits, 3}; }
PinPolicy sign_pin_policy() { return PinPolicy{6, 16, PinAlphabet::UpperAlphanumeric, 5}; }
PinPolicy kenmen_hojo_pin_policy() { return PinPolicy{4, 4, PinAlphabet::Digits, 3}; }

namespace {
bool allowed(PinAlphabet alphabet, std::uint8_t c) {
    const bool digit = c >= '0' && c <= '9';
    if (alphabet == PinAlphabet::Digits) return digit;
    return digit || (c >= 'A' && c <= 'Z');
}
}  // namespace

bool pin_well_formed(const PinPolicy& policy, ByteView candidate) {
    if (candidate.size() < policy.min_length || candidate.size() > policy.max_length) return false;
    for (auto c : candidate)
        if (!allowed(policy.alphabet, c)) return false;
    return true;
}

std::string pin_value_problem(const PinPolicy& policy, const std::string& value) {
    if (pin_well_formed(policy, ByteView(reinterpret_cast<const std::uint8_t*>(value.data()), value.size())))
        return {};
    std::string length = policy.min_length == policy.max_length
                             ? std::to_string(policy.min_length)
                             : std::to_string(policy.min_length) + "-" + std::to_string(policy.max_length);
    return "must be " + length +
           (policy.alphabet == PinAlphabet::Digits ? " digits" : " characters of A-Z and 0-9");
}

}  // namespace mynasim::card
