#pragma once
// SHA-256 for the places that need a digest of bytes: signatures' DigestInfo, report and input hashes.
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace mynasim::crypto {

Bytes sha256(ByteView data);
std::string sha256_hex(std::string_view data);  // upper-case hex, 64 characters

}  // namespace mynasim::crypto
