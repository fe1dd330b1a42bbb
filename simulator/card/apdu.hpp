#pragma once
// ISO 7816-4 command APDU decoding (cases 1-4, short and extended) and response encoding.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"
#include "card/status_words.hpp"

namespace mynasim::card {

enum class ApduCase { Case1, Case2, Case3, Case4 };

struct CommandApdu {
    std::uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
    Bytes data;
    // Expected response length; 256 (short) or 65536 (extended) when Le was encoded as zero.
    std::optional<std::size_t> le;
    ApduCase apdu_case = ApduCase::Case1;
    bool extended = false;
};

// Strict decoding. nullopt when the bytes are not a well-formed APDU: the card answers 67 00.
std::optional<CommandApdu> decode_command(ByteView raw);

struct ResponseApdu {
    Bytes data;
    StatusWord sw = sw::ok;

    static ResponseApdu status(StatusWord word) { return ResponseApdu{{}, word}; }
    Bytes encode() const;
};

}  // namespace mynasim::card
