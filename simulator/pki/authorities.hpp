#pragma once
// The project's test PKI: fixed TEST CAs and a certificate factory driven by profile fields.
// Deterministic: same inputs, byte-identical DER (fixed keys, fixed CA validity, RSA PKCS#1 v1.5).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "crypto/openssl_handles.hpp"
#include "pki/key_store.hpp"
#include "base/time.hpp"

namespace mynasim::pki {

enum class CaId { JpkiAuth, JpkiSign, Unknown, TokuteiKikan, ServerTls };

// "jpki-auth-ca", "jpki-sign-ca", "unknown-ca", "tokutei-kikan-ca", "server-tls-ca"
std::string_view ca_name(CaId id);
std::optional<CaId> ca_from_name(std::string_view name);
std::vector<CaId> all_cas();

enum class CertificatePurpose { Auth, Sign };
enum class Breakage { None, Truncated, BadSignature };
std::optional<Breakage> breakage_from_name(std::string_view name);  // "none", "truncated", "bad_signature"

struct CertificateSpec {
    std::string serial;  // positive integer: decimal, or hex with a 0x prefix
    // Subject RDNs in order, e.g. {{"C","JP"},{"O","mynasim TEST"},{"CN","TEST auth 0001"}}; UTF-8 values.
    std::vector<std::pair<std::string, std::string>> subject;
    UnixTime not_before = 0;
    UnixTime not_after = 0;
    std::string key;  // name in the KeyStore
    CaId issuer = CaId::JpkiAuth;
    CertificatePurpose purpose = CertificatePurpose::Auth;
    Breakage broken = Breakage::None;
};

struct IssuedCertificate {
    Bytes der;               // exactly what the card carries (truncated or with a bad signature if asked)
    crypto::SharedKey key;   // the subject's private key
};

// A serial to list in a CRL, with its revocation time.
struct RevokedSerial {
    std::string serial;  // same syntax as CertificateSpec::serial
    UnixTime revoked_at = 0;
};

class TestPki {
public:
    explicit TestPki(const KeyStore& keys = KeyStore::builtin());

    // Self-signed CA certificates, valid 2020-01-01 .. 2050-01-01, subjects say TEST.
    const Bytes& ca_certificate(CaId id) const;
    crypto::SharedKey ca_key(CaId id) const;

    // Throws PkiError with a clear message on a bad serial, unknown key, inverted validity, etc.
    IssuedCertificate issue(const CertificateSpec& spec) const;

    // A CRL (DER) of `issuer` listing `revoked`; thisUpdate/nextUpdate as given (deterministic).
    Bytes crl(CaId issuer, const std::vector<RevokedSerial>& revoked, UnixTime this_update,
              UnixTime next_update) const;

    // Leaf for the mock server: CN=TEST mynasim server, SAN localhost + 127.0.0.1 + ::1, by server-tls-ca.
    IssuedCertificate server_tls_certificate() const;
    // The 特定機関 (authorised institution) certificate with an EC P-256 key, by tokutei-kikan-ca.
    IssuedCertificate institution_certificate() const;

private:
    IssuedCertificate service_certificate(long serial, const std::string& common_name, const char* key_name, CaId ca,
                                          std::vector<std::pair<int, const char*>> extensions) const;
    const KeyStore& keys_;
    std::vector<std::pair<CaId, Bytes>> ca_certificates_;
};

// PEM of a DER certificate / CRL.
std::string certificate_pem(const Bytes& der);
std::string crl_pem(const Bytes& der);

}  // namespace mynasim::pki
