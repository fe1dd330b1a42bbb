#pragma once
// Base64 (RFC 4648, with padding) through OpenSSL's encoder; whitespace in input is ignored.
#include <optional>
#include <string>

#include "base/bytes.hpp"

namespace mynasim::crypto {

std::string base64_encode(ByteView data);
std::optional<Bytes> base64_decode(const std::string& text);  // nullopt when it is not base64

}  // namespace mynasim::crypto
