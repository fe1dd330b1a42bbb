#pragma once
// RSA PKCS#1 v1.5 with SHA-256: how a JPKI auth signature over a challenge is made (DigestInfo) and checked.
#include "base/bytes.hpp"
#include "crypto/openssl_handles.hpp"

namespace mynasim::crypto {

bool verify_pkcs1_sha256(EVP_PKEY* key, ByteView message, ByteView signature);
// DigestInfo(SHA-256(message)): what a client sends to the card's COMPUTE DIGITAL SIGNATURE.
Bytes sha256_digest_info(ByteView message);

}  // namespace mynasim::crypto
