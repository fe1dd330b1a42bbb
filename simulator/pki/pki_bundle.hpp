#pragma once
// Writes the files a server or client needs to trust the test PKI.
#include <filesystem>
#include <vector>

#include "pki/authorities.hpp"

namespace mynasim::pki {

struct BundleContents {
    std::vector<RevokedSerial> revoked_auth;  // serials revoked under jpki-auth-ca
    std::vector<RevokedSerial> revoked_sign;  // serials revoked under jpki-sign-ca
    UnixTime reference = default_reference_time;  // CRL thisUpdate; nextUpdate = reference + 1 year
};

// Layout (all PEM):
//   ca/<ca-name>.pem            every CA certificate
//   ca/jpki-bundle.pem          jpki-auth-ca + jpki-sign-ca (what the server trusts for cards)
//   crl/jpki-auth-ca.crl, crl/jpki-sign-ca.crl
//   server/server.crt, server/server.key          TLS leaf for the mock server
//   tokutei-kikan/institution.crt, tokutei-kikan/institution.key
// Creates directories; overwrites files; throws PkiError naming the path on I/O failure.
void write_bundle(const TestPki& pki, const std::filesystem::path& dir, const BundleContents& contents);

}  // namespace mynasim::pki
