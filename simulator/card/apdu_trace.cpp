#include "apdu_trace.hpp"

#include "card/apdu_description.hpp"

namespace mynasim::card {

ApduExchange exchange(Card& card, ByteView command) {
    ApduExchange e;
    e.command.assign(command.begin(), command.end());
    e.command_text = describe_command(card.definition(), card.state().session, command);
    const CardOutcome outcome = card.transmit(command);
    e.forced = outcome.forced;
    e.torn = outcome.torn;
    e.delay_ms = outcome.delay_ms;
    if (outcome.response) e.response = outcome.response->encode();
    e.response_text = e.response ? describe_response(*e.response) : (outcome.torn ? "(card torn out)" : "(no answer)");
    if (e.forced) e.response_text += " [forced by profile]";
    return e;
}

std::string format_exchange(const ApduExchange& e, bool full) {
    constexpr std::size_t shown = 16;
    std::string line = to_hex(e.command) + " → ";
    if (!e.response) {
        line += e.response_text + " " + e.command_text;
        return line;
    }
    const Bytes& r = *e.response;
    const std::size_t data_length = r.size() - 2;
    if (data_length > 0) {
        if (full || data_length <= shown) {
            line += to_hex(ByteView(r.data(), data_length)) + " ";
        } else {
            line += to_hex(ByteView(r.data(), shown)) + "…(" + std::to_string(data_length) + " bytes) ";
        }
    }
    line += to_hex(ByteView(r.data() + data_length, 2)) + " " + e.command_text;
    const auto meaning_start = e.response_text.find(' ');
    const std::string meaning = meaning_start == std::string::npos ? "" : e.response_text.substr(meaning_start + 1);
    if (meaning.rfind("OK", 0) != 0) line += " (" + meaning + ")";
    return line;
}

}  // namespace mynasim::card
