#pragma once
// Byte strings and hex conversion shared by every layer.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mynasim {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Upper-case hex without separators, e.g. "00A4040C".
std::string to_hex(ByteView bytes);
// Accepts upper/lower case and ignores spaces and colons; nullopt on odd length or a non-hex character.
std::optional<Bytes> parse_hex(std::string_view text);

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

}  // namespace mynasim
