#include "authorities.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace mynasim::pki {

namespace {

// CA and service certificates: 2020-01-01 .. 2050-01-01.
constexpr UnixTime fixed_not_before = 1577836800;
constexpr UnixTime fixed_not_after = 2524608000;

struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct NameFree { void operator()(X509_NAME* p) const { X509_NAME_free(p); } };
using UniqueBn = std::unique_ptr<BIGNUM, BnFree>;
using UniqueName = std::unique_ptr<X509_NAME, NameFree>;

struct CaInfo {
    CaId id;
    const char* name;
    const char* key;
    const char* unit;
    const char* common_name;
    int serial;
};

constexpr CaInfo ca_table[] = {
    {CaId::JpkiAuth, "jpki-auth-ca", "ca-jpki-auth", "JPKI user authentication", "TEST JPKI Auth CA", 1},
    {CaId::JpkiSign, "jpki-sign-ca", "ca-jpki-sign", "JPKI digital signature", "TEST JPKI Sign CA", 2},
    {CaId::Unknown, "unknown-ca", "ca-unknown", "untrusted issuer", "TEST Unknown CA", 3},
    {CaId::TokuteiKikan, "tokutei-kikan-ca", "ca-tokutei-kikan", "authorised institutions", "TEST Tokutei Kikan CA", 4},
    {CaId::ServerTls, "server-tls-ca", "ca-server-tls", "mock server TLS", "TEST Server TLS CA", 5},
};

const CaInfo& info(CaId id) {
    for (const auto& ca : ca_table)
        if (ca.id == id) return ca;
    throw PkiError("unknown CA id");
}

UniqueBn parse_serial(const std::string& text) {
    const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    const std::string digits = hex ? text.substr(2) : text;
    const bool well_formed =
        !digits.empty() && std::all_of(digits.begin(), digits.end(), [hex](char c) {
            return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '9');
        });
    if (!well_formed) throw PkiError("certificate serial \"" + text + "\": not a decimal or 0x-hex integer");
    BIGNUM* bn = nullptr;
    const int used = hex ? BN_hex2bn(&bn, digits.c_str()) : BN_dec2bn(&bn, digits.c_str());
    UniqueBn owned(bn);
    if (!bn || used != static_cast<int>(digits.size())) throw PkiError("certificate serial \"" + text + "\": unreadable");
    if (BN_is_zero(bn) || BN_is_negative(bn)) throw PkiError("certificate serial \"" + text + "\": must be positive");
    if (BN_num_bytes(bn) > 20) throw PkiError("certificate serial \"" + text + "\": longer than 20 bytes");
    return owned;
}

UniqueName make_name(const std::vector<std::pair<std::string, std::string>>& rdns) {
    UniqueName name(X509_NAME_new());
    for (const auto& [field, value] : rdns) {
        if (X509_NAME_add_entry_by_txt(name.get(), field.c_str(), MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1) {
            ERR_clear_error();
            throw PkiError("subject attribute " + field + "=\"" + value + "\" is not acceptable");
        }
    }
    return name;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) crypto::throw_openssl_error(std::string("certificate extension ") + OBJ_nid2sn(nid));
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

Bytes to_der(X509* cert) {
    const int length = i2d_X509(cert, nullptr);
    if (length <= 0) crypto::throw_openssl_error("encoding a certificate");
    Bytes der(static_cast<std::size_t>(length));
    unsigned char* cursor = der.data();
    i2d_X509(cert, &cursor);
    return der;
}

crypto::UniqueX509 from_der(const Bytes& der) {
    const unsigned char* cursor = der.data();
    crypto::UniqueX509 cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!cert) crypto::throw_openssl_error("parsing a certificate");
    return cert;
}

struct Blueprint {
    BIGNUM* serial;
    X509_NAME* subject;
    UnixTime not_before, not_after;
    EVP_PKEY* subject_key;  // public part is used
    X509* issuer;           // nullptr: self-signed
    EVP_PKEY* issuer_key;
    std::vector<std::pair<int, const char*>> extensions;
};

crypto::UniqueX509 build(const Blueprint& b) {
    crypto::UniqueX509 cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1) crypto::throw_openssl_error("creating a certificate");
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(b.serial, nullptr);
    X509_set_serialNumber(cert.get(), serial);
    ASN1_INTEGER_free(serial);
    X509_set_subject_name(cert.get(), b.subject);
    X509_set_issuer_name(cert.get(), b.issuer ? X509_get_subject_name(b.issuer) : b.subject);
    if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(b.not_before)) ||
        !ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(b.not_after)))
        crypto::throw_openssl_error("certificate validity");
    if (X509_set_pubkey(cert.get(), b.subject_key) != 1) crypto::throw_openssl_error("certificate public key");
    X509* issuer = b.issuer ? b.issuer : cert.get();
    for (const auto& [nid, value] : b.extensions) add_extension(cert.get(), issuer, nid, value);
    // RSA PKCS#1 v1.5 with SHA-256 is deterministic: same inputs, same bytes.
    if (X509_sign(cert.get(), b.issuer_key, EVP_sha256()) <= 0) crypto::throw_openssl_error("signing a certificate");
    return cert;
}

std::string pem_of(const char* label, const Bytes& der) {
    crypto::UniqueBio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio(bio.get(), label, "", der.data(), static_cast<long>(der.size()));
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

std::string_view ca_name(CaId id) { return info(id).name; }

std::optional<CaId> ca_from_name(std::string_view name) {
    for (const auto& ca : ca_table)
        if (name == ca.name) return ca.id;
    return std::nullopt;
}

std::vector<CaId> all_cas() {
    std::vector<CaId> ids;
    for (const auto& ca : ca_table) ids.push_back(ca.id);
    return ids;
}

std::optional<Breakage> breakage_from_name(std::string_view name) {
    if (name == "none") return Breakage::None;
    if (name == "truncated") return Breakage::Truncated;
    if (name == "bad_signature") return Breakage::BadSignature;
    return std::nullopt;
}

TestPki::TestPki(const KeyStore& keys) : keys_(keys) {
    for (const auto& ca : ca_table) {
        const auto key = keys_.key(ca.key);
        UniqueBn serial(BN_new());
        BN_set_word(serial.get(), static_cast<BN_ULONG>(ca.serial));
        auto name = make_name({{"C", "JP"}, {"O", "mynasim TEST PKI"}, {"OU", ca.unit}, {"CN", ca.common_name}});
        Blueprint b{serial.get(), name.get(), fixed_not_before, fixed_not_after, key.get(), nullptr, key.get(),
                    {{NID_basic_constraints, "critical,CA:TRUE"},
                     {NID_key_usage, "critical,keyCertSign,cRLSign"},
                     {NID_subject_key_identifier, "hash"}}};
        ca_certificates_.emplace_back(ca.id, to_der(build(b).get()));
    }
}

const Bytes& TestPki::ca_certificate(CaId id) const {
    for (const auto& [ca, der] : ca_certificates_)
        if (ca == id) return der;
    throw PkiError("unknown CA");
}

crypto::SharedKey TestPki::ca_key(CaId id) const { return keys_.key(info(id).key); }

IssuedCertificate TestPki::issue(const CertificateSpec& spec) const {
    if (spec.not_after < spec.not_before)
        throw PkiError("certificate " + spec.serial + ": not_after (" + format_time(spec.not_after) +
                       ") is before not_before (" + format_time(spec.not_before) + ")");
    if (spec.subject.empty()) throw PkiError("certificate " + spec.serial + ": empty subject");
    auto serial = parse_serial(spec.serial);
    auto subject = make_name(spec.subject);
    const auto key = keys_.key(spec.key);
    auto issuer = from_der(ca_certificate(spec.issuer));
    const auto issuer_key = ca_key(spec.issuer);
    Blueprint b{serial.get(), subject.get(), spec.not_before, spec.not_after, key.get(), issuer.get(), issuer_key.get(),
                {{NID_basic_constraints, "critical,CA:FALSE"},
                 {NID_key_usage, spec.purpose == CertificatePurpose::Auth ? "critical,digitalSignature"
                                                                           : "critical,digitalSignature,nonRepudiation"},
                 {NID_subject_key_identifier, "hash"},
                 {NID_authority_key_identifier, "keyid:always"}}};
    IssuedCertificate out{to_der(build(b).get()), key};
    if (spec.broken == Breakage::Truncated) out.der.resize(out.der.size() / 2);
    if (spec.broken == Breakage::BadSignature) out.der.back() ^= 0x01;  // last byte of the signature value
    return out;
}

Bytes TestPki::crl(CaId issuer_id, const std::vector<RevokedSerial>& revoked, UnixTime this_update,
                   UnixTime next_update) const {
    auto issuer = from_der(ca_certificate(issuer_id));
    std::unique_ptr<X509_CRL, crypto::X509CrlFree> crl(X509_CRL_new());
    if (!crl || X509_CRL_set_version(crl.get(), 1) != 1 ||
        X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.get())) != 1)
        crypto::throw_openssl_error("creating a CRL");
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> last(ASN1_TIME_set(nullptr, static_cast<time_t>(this_update)),
                                                                 ASN1_TIME_free);
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(ASN1_TIME_set(nullptr, static_cast<time_t>(next_update)),
                                                                 ASN1_TIME_free);
    X509_CRL_set1_lastUpdate(crl.get(), last.get());
    X509_CRL_set1_nextUpdate(crl.get(), next.get());
    for (const auto& entry : revoked) {
        auto serial = parse_serial(entry.serial);
        X509_REVOKED* item = X509_REVOKED_new();
        ASN1_INTEGER* number = BN_to_ASN1_INTEGER(serial.get(), nullptr);
        ASN1_TIME* when = ASN1_TIME_set(nullptr, static_cast<time_t>(entry.revoked_at));
        X509_REVOKED_set_serialNumber(item, number);
        X509_REVOKED_set_revocationDate(item, when);
        ASN1_INTEGER_free(number);
        ASN1_TIME_free(when);
        X509_CRL_add0_revoked(crl.get(), item);
    }
    X509_CRL_sort(crl.get());
    const auto key = ca_key(issuer_id);
    if (X509_CRL_sign(crl.get(), key.get(), EVP_sha256()) <= 0) crypto::throw_openssl_error("signing a CRL");
    const int length = i2d_X509_CRL(crl.get(), nullptr);
    Bytes der(static_cast<std::size_t>(length));
    unsigned char* cursor = der.data();
    i2d_X509_CRL(crl.get(), &cursor);
    return der;
}

IssuedCertificate TestPki::service_certificate(long serial_number, const std::string& common_name, const char* key_name,
                                               CaId ca, std::vector<std::pair<int, const char*>> extensions) const {
    UniqueBn serial(BN_new());
    BN_set_word(serial.get(), static_cast<BN_ULONG>(serial_number));
    auto subject = make_name({{"C", "JP"}, {"O", "mynasim TEST"}, {"CN", common_name}});
    const auto key = keys_.key(key_name);
    auto issuer = from_der(ca_certificate(ca));
    const auto issuer_key = ca_key(ca);
    extensions.insert(extensions.begin(), {NID_basic_constraints, "critical,CA:FALSE"});
    extensions.push_back({NID_subject_key_identifier, "hash"});
    extensions.push_back({NID_authority_key_identifier, "keyid:always"});
    Blueprint b{serial.get(), subject.get(), fixed_not_before, fixed_not_after, key.get(), issuer.get(), issuer_key.get(),
                std::move(extensions)};
    return IssuedCertificate{to_der(build(b).get()), key};
}

IssuedCertificate TestPki::server_tls_certificate() const {
    return service_certificate(0x5E, "TEST mynasim server", "server-tls", CaId::ServerTls,
                               {{NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                                {NID_ext_key_usage, "serverAuth"},
                                {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"}});
}

IssuedCertificate TestPki::institution_certificate() const {
    return service_certificate(0x7001, "TEST 特定機関 reader 0001", "institution", CaId::TokuteiKikan,
                               {{NID_key_usage, "critical,digitalSignature"}});
}

std::string certificate_pem(const Bytes& der) { return pem_of("CERTIFICATE", der); }
std::string crl_pem(const Bytes& der) { return pem_of("X509 CRL", der); }

}  // namespace mynasim::pki
