#pragma once
// RSA PKCS#1 v1.5 with SHA-256 verification: how a JPKI auth signature over a challenge is checked.
#include "card/bytes.hpp"
#include "crypto/openssl_handles.hpp"

namespace mynasim::crypto {

bool verify_pkcs1_sha256(EVP_PKEY* key, ByteView message, ByteView signature);

}  // namespace mynasim::crypto
