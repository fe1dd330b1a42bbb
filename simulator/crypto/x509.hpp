#pragma once
// Small X.509 helpers shared by the card, the harness and the mock server.
#include <string>

#include "base/bytes.hpp"
#include "crypto/openssl_handles.hpp"

namespace mynasim::crypto {

// Parses a whole DER certificate; nullptr when it is malformed or has trailing bytes (errors cleared).
UniqueX509 parse_certificate(ByteView der);
// The serial number as upper-case hex without leading zeros ("1001").
std::string serial_hex(const X509* certificate);

}  // namespace mynasim::crypto
