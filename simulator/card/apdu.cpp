#include "apdu.hpp"

namespace mynasim::card {

std::optional<CommandApdu> decode_command(ByteView raw) {
    if (raw.size() < 4) return std::nullopt;
    CommandApdu cmd;
    cmd.cla = raw[0];
    cmd.ins = raw[1];
    cmd.p1 = raw[2];
    cmd.p2 = raw[3];
    const auto body = raw.subspan(4);
    if (body.empty()) {
        cmd.apdu_case = ApduCase::Case1;
        return cmd;
    }
    if (body.size() == 1) {  // case 2 short: Le only
        cmd.apdu_case = ApduCase::Case2;
        cmd.le = body[0] == 0 ? 256 : body[0];
        return cmd;
    }
    if (body[0] != 0) {  // short Lc
        const std::size_t lc = body[0];
        if (body.size() == 1 + lc) {
            cmd.apdu_case = ApduCase::Case3;
        } else if (body.size() == 2 + lc) {
            cmd.apdu_case = ApduCase::Case4;
            cmd.le = body[1 + lc] == 0 ? 256 : body[1 + lc];
        } else {
            return std::nullopt;
        }
        cmd.data.assign(body.begin() + 1, body.begin() + 1 + static_cast<std::ptrdiff_t>(lc));
        return cmd;
    }
    // body[0] == 0 and more than one byte: extended length.
    if (body.size() < 3) return std::nullopt;
    cmd.extended = true;
    const std::size_t first = static_cast<std::size_t>(body[1]) << 8 | body[2];
    if (body.size() == 3) {  // case 2 extended
        cmd.apdu_case = ApduCase::Case2;
        cmd.le = first == 0 ? 65536 : first;
        return cmd;
    }
    const std::size_t lc = first;
    if (lc == 0) return std::nullopt;
    if (body.size() == 3 + lc) {
        cmd.apdu_case = ApduCase::Case3;
    } else if (body.size() == 5 + lc) {
        cmd.apdu_case = ApduCase::Case4;
        const std::size_t le = static_cast<std::size_t>(body[3 + lc]) << 8 | body[4 + lc];
        cmd.le = le == 0 ? 65536 : le;
    } else {
        return std::nullopt;
    }
    cmd.data.assign(body.begin() + 3, body.begin() + 3 + static_cast<std::ptrdiff_t>(lc));
    return cmd;
}

Bytes ResponseApdu::encode() const {
    Bytes out = data;
    out.push_back(static_cast<std::uint8_t>(sw >> 8));
    out.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    return out;
}

}  // namespace mynasim::card
