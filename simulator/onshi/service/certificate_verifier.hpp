#pragma once
// The server's checks of a presented auth certificate, in order: it parses, it was issued by the
// trusted JPKI auth CA, the CA's signature holds, the server's clock is inside its validity (notAfter
// extended by the expiry grace, certificate_expiry.hpp), it is not revoked (CRL or store), and its serial
// belongs to a person. Each failure names an error-table key.
#include <optional>
#include <set>
#include <string>

#include "base/bytes.hpp"
#include "crypto/openssl_handles.hpp"
#include "base/time.hpp"
#include "onshi/service/certificate_expiry.hpp"
#include "onshi/store/store.hpp"

namespace mynasim::onshi {

struct CertificateVerdict {
    std::string error;        // empty when the certificate is accepted; else an error-table key
    std::string serial;       // normalised, when it parsed
    std::string person_id;    // when accepted
    crypto::SharedKey public_key;
    ExpiryStage stage = ExpiryStage::Valid;  // when accepted: near its end, or in the grace after it
    UnixTime not_after = 0;
};

class CertificateVerifier {
public:
    // `ca_der`: the trusted JPKI auth CA; `crl_der`: its CRL (optional: revocation is then the store's only).
    CertificateVerifier(const Bytes& ca_der, const std::optional<Bytes>& crl_der);
    CertificateVerdict verify(ByteView certificate_der, UnixTime now, Store& store, const ExpiryRule& expiry = {}) const;

private:
    crypto::UniqueX509 ca_;
    crypto::SharedKey ca_key_;
    std::set<std::string> revoked_;  // normalised serials from the CRL
};

// PKCS#1 v1.5 / SHA-256 signature check of the challenge by the certificate's key.
bool signature_verifies(EVP_PKEY* key, ByteView message, ByteView signature);

}  // namespace mynasim::onshi
