#include "certificate_verifier.hpp"

#include <ctime>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "crypto/signature.hpp"
#include "crypto/x509.hpp"

namespace mynasim::onshi {

namespace {
std::string revoked_serial(const X509_REVOKED* entry) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(entry), nullptr);
    char* hex = bn ? BN_bn2hex(bn) : nullptr;
    std::string out = hex ? hex : "";
    OPENSSL_free(hex);
    BN_free(bn);
    const auto first = out.find_first_not_of('0');
    return first == std::string::npos ? out : out.substr(first);
}
}  // namespace

CertificateVerifier::CertificateVerifier(const Bytes& ca_der, const std::optional<Bytes>& crl_der) : ca_(crypto::parse_certificate(ca_der)) {
    if (!ca_) throw std::invalid_argument("the trusted CA certificate does not parse");
    ca_key_ = crypto::share_key(X509_get_pubkey(ca_.get()));
    if (crl_der) {
        const unsigned char* cursor = crl_der->data();
        crypto::UniqueCrl crl(d2i_X509_CRL(nullptr, &cursor, static_cast<long>(crl_der->size())));
        if (!crl) throw std::invalid_argument("the CRL does not parse");
        if (X509_CRL_verify(crl.get(), ca_key_.get()) != 1) throw std::invalid_argument("the CRL is not signed by the CA");
        const auto* entries = X509_CRL_get_REVOKED(crl.get());
        for (int i = 0; i < sk_X509_REVOKED_num(entries); ++i)
            revoked_.insert(revoked_serial(sk_X509_REVOKED_value(entries, i)));
    }
}

CertificateVerdict CertificateVerifier::verify(ByteView der, UnixTime now, Store& store, const ExpiryRule& expiry) const {
    CertificateVerdict verdict;
    auto cert = crypto::parse_certificate(der);
    if (!cert) {
        verdict.error = "certificate_malformed";
        return verdict;
    }
    verdict.serial = crypto::serial_hex(cert.get());
    if (X509_NAME_cmp(X509_get_issuer_name(cert.get()), X509_get_subject_name(ca_.get())) != 0) {
        verdict.error = "certificate_unknown_issuer";
        return verdict;
    }
    const bool signed_by_ca = X509_verify(cert.get(), ca_key_.get()) == 1;
    ERR_clear_error();
    if (!signed_by_ca) {
        verdict.error = "certificate_bad_signature";
        return verdict;
    }
    time_t t = static_cast<time_t>(now);
    std::tm not_after{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &not_after) != 1) {
        verdict.error = "certificate_malformed";
        return verdict;
    }
    verdict.not_after = static_cast<UnixTime>(timegm(&not_after));
    verdict.stage = expiry_stage(verdict.not_after, now, expiry);
    if (verdict.stage == ExpiryStage::Expired) {
        verdict.error = "certificate_expired";
        return verdict;
    }
    if (X509_cmp_time(X509_get0_notBefore(cert.get()), &t) > 0) {
        verdict.error = "certificate_not_yet_valid";
        return verdict;
    }
    const auto record = store.certificate("0x" + verdict.serial);
    if (revoked_.contains(verdict.serial) || (record && record->status == "revoked")) {
        verdict.error = "certificate_revoked";
        return verdict;
    }
    if (!record) {
        verdict.error = "certificate_serial_unknown";
        return verdict;
    }
    verdict.person_id = record->person_id;
    verdict.public_key = crypto::share_key(X509_get_pubkey(cert.get()));
    return verdict;
}

bool signature_verifies(EVP_PKEY* key, ByteView message, ByteView signature) {
    return crypto::verify_pkcs1_sha256(key, message, signature);
}

}  // namespace mynasim::onshi
