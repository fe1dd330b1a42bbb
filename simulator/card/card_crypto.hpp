#pragma once
// The card's cryptography, through OpenSSL 3 EVP only.
#include <optional>

#include "base/bytes.hpp"
#include "crypto/openssl_handles.hpp"

namespace mynasim::card {

// Modulus size in bytes of an RSA key (0 for other key types).
std::size_t rsa_modulus_bytes(EVP_PKEY* key);
// RSA private-key operation with PKCS#1 v1.5 type-1 padding over `digest_info` as given (the card
// pads; the client hashes and wraps the hash in a DigestInfo). nullopt when the input is too long.
std::optional<Bytes> rsa_sign_pkcs1(EVP_PKEY* key, ByteView digest_info);
// Parses an X.509 certificate (DER) and checks its signature with `issuer_key`; returns the
// certificate's public key when it verifies, nullopt otherwise (malformed counts as not verified).
std::optional<crypto::SharedKey> verified_certificate_key(ByteView der, EVP_PKEY* issuer_key, bool& malformed);
// ECDSA/RSA verification of `signature` over SHA-256(message).
bool verify_sha256_signature(EVP_PKEY* key, ByteView message, ByteView signature);

}  // namespace mynasim::card
