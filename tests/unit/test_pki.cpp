// The test PKI: time syntax, determinism, chains, broken forms, CRLs, service certificates, bundle.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "pki/pki_bundle.hpp"
#include "test_support.hpp"

using namespace mynasim;
using mynasim::resolve_time;

namespace {

crypto::UniqueX509 parse(const Bytes& der) {
    const unsigned char* p = der.data();
    crypto::UniqueX509 cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    ERR_clear_error();
    return cert;
}

bool signed_by(const Bytes& der, pki::CaId ca) {
    auto cert = parse(der);
    auto issuer = parse(test::shared_pki().ca_certificate(ca));
    if (!cert || !issuer) return false;
    crypto::SharedKey key = crypto::share_key(X509_get_pubkey(issuer.get()));
    const bool ok = X509_verify(cert.get(), key.get()) == 1;
    ERR_clear_error();
    return ok;
}

pki::CertificateSpec spec(const std::string& serial = "0x1001") {
    pki::CertificateSpec s;
    s.serial = serial;
    s.subject = {{"C", "JP"}, {"O", "mynasim TEST"}, {"CN", "TEST unit auth"}};
    s.not_before = mynasim::default_reference_time;
    s.not_after = mynasim::default_reference_time + 365 * 86400;
    s.key = "card-09";
    return s;
}

mynasim::UnixTime at(const char* text) {
    std::string error;
    auto t = resolve_time(text, mynasim::default_reference_time, error);
    BOOST_REQUIRE_MESSAGE(t, text << ": " << error);
    return *t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_pki)

BOOST_AUTO_TEST_CASE(times_absolute_and_relative) {
    BOOST_TEST(at("2026-04-01") == mynasim::default_reference_time);
    BOOST_TEST(mynasim::format_time(at("2026-04-01T12:34:56Z")) == "2026-04-01T12:34:56Z");
    BOOST_TEST(mynasim::format_time(at("+5y")) == "2031-04-01T00:00:00Z");
    BOOST_TEST(mynasim::format_time(at("-1d")) == "2026-03-31T00:00:00Z");
    BOOST_TEST(mynasim::format_time(at("+36h")) == "2026-04-02T12:00:00Z");
    BOOST_TEST(mynasim::format_time(at("-13m")) == "2025-03-01T00:00:00Z");
    std::string error;
    const auto jan31 = resolve_time("2024-01-31", 0, error);
    BOOST_TEST(mynasim::format_time(*resolve_time("+1m", *jan31, error)) == "2024-02-29T00:00:00Z");
    BOOST_TEST(mynasim::format_time(*resolve_time("-1y", *resolve_time("2024-02-29", 0, error), error)) ==
               "2023-02-28T00:00:00Z");
    BOOST_TEST(mynasim::format_time(*resolve_time("1969-12-31T23:59:59Z", 0, error)) == "1969-12-31T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(times_reject_everything_else) {
    for (const char* bad : {"", "2026-02-30", "2026-13-01", "2026-4-1", "2026-04-01T25:00:00Z", "2026-04-01T00:00:00",
                            "2026-04-01 ", "+5x", "+", "+y", "5y", "+5", "-5yy", "+-5y", "+5 y", "tomorrow",
                            "2026-04-01Z", "+999999999y"}) {
        std::string error;
        BOOST_TEST(!resolve_time(bad, mynasim::default_reference_time, error), bad);
        BOOST_TEST(error.find("expected YYYY-MM-DD") != std::string::npos, bad);
    }
}

BOOST_AUTO_TEST_CASE(key_store_has_the_documented_keys) {
    const auto& keys = pki::KeyStore::builtin();
    for (const char* name : {"ca-jpki-auth", "ca-jpki-sign", "ca-unknown", "ca-tokutei-kikan", "ca-server-tls",
                             "server-tls", "institution", "card-01", "card-16", "card-1024", "card-3072"})
        BOOST_TEST(keys.has(name), name);
    BOOST_TEST(keys.bits("card-01") == 2048);
    BOOST_TEST(keys.bits("card-1024") == 1024);
    BOOST_TEST(keys.bits("card-3072") == 3072);
    BOOST_TEST(EVP_PKEY_get_base_id(keys.key("institution").get()) == EVP_PKEY_EC);
    BOOST_CHECK_THROW(keys.key("card-99"), pki::PkiError);
    BOOST_TEST(keys.private_pem("card-01").rfind("-----BEGIN PRIVATE KEY-----", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(issuing_is_deterministic) {
    const pki::TestPki other;  // a second instance: nothing cached between them
    BOOST_TEST(test::shared_pki().issue(spec()).der == other.issue(spec()).der);
    for (auto ca : pki::all_cas()) BOOST_TEST(test::shared_pki().ca_certificate(ca) == other.ca_certificate(ca));
    BOOST_TEST(test::shared_pki().server_tls_certificate().der == other.server_tls_certificate().der);
    BOOST_TEST(test::shared_pki().institution_certificate().der == other.institution_certificate().der);
    BOOST_TEST(test::shared_pki().issue(spec("0x1002")).der != other.issue(spec()).der);
}

BOOST_AUTO_TEST_CASE(certificates_carry_the_spec) {
    const auto issued = test::shared_pki().issue(spec("0x00ABCDEF"));
    auto cert = parse(issued.der);
    BOOST_REQUIRE(cert);
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr);
    char* hex = BN_bn2hex(serial);
    BOOST_TEST(std::string(hex) == "ABCDEF");
    OPENSSL_free(hex);
    BN_free(serial);
    char subject[256];
    X509_NAME_oneline(X509_get_subject_name(cert.get()), subject, sizeof subject);
    BOOST_TEST(std::string(subject) == "/C=JP/O=mynasim TEST/CN=TEST unit auth");
    BOOST_TEST(ASN1_TIME_cmp_time_t(X509_get0_notBefore(cert.get()), mynasim::default_reference_time) == 0);
    BOOST_TEST(ASN1_TIME_cmp_time_t(X509_get0_notAfter(cert.get()), mynasim::default_reference_time + 365 * 86400) == 0);
    BOOST_TEST(signed_by(issued.der, pki::CaId::JpkiAuth));
    BOOST_TEST(!signed_by(issued.der, pki::CaId::JpkiSign));
    crypto::SharedKey cert_key = crypto::share_key(X509_get_pubkey(cert.get()));
    BOOST_TEST(EVP_PKEY_eq(cert_key.get(), issued.key.get()) == 1);
    for (auto ca : pki::all_cas()) {
        auto ca_cert = parse(test::shared_pki().ca_certificate(ca));
        X509_NAME_oneline(X509_get_subject_name(ca_cert.get()), subject, sizeof subject);
        BOOST_TEST(std::string(subject).find("TEST") != std::string::npos);
        BOOST_TEST(X509_check_ca(ca_cert.get()) >= 1);
        BOOST_TEST(signed_by(test::shared_pki().ca_certificate(ca), ca));  // self-signed
    }
}

BOOST_AUTO_TEST_CASE(unknown_issuer_does_not_chain_to_the_jpki_ca) {
    auto s = spec();
    s.issuer = pki::CaId::Unknown;
    const auto issued = test::shared_pki().issue(s);
    BOOST_TEST(!signed_by(issued.der, pki::CaId::JpkiAuth));
    BOOST_TEST(signed_by(issued.der, pki::CaId::Unknown));
}

BOOST_AUTO_TEST_CASE(broken_forms) {
    auto s = spec();
    const auto whole = test::shared_pki().issue(s).der;
    s.broken = pki::Breakage::Truncated;
    const auto truncated = test::shared_pki().issue(s).der;
    BOOST_TEST(truncated.size() == whole.size() / 2);
    BOOST_TEST(!parse(truncated));
    s.broken = pki::Breakage::BadSignature;
    const auto bad = test::shared_pki().issue(s).der;
    BOOST_TEST(bad.size() == whole.size());
    BOOST_TEST(parse(bad) != nullptr);
    BOOST_TEST(!signed_by(bad, pki::CaId::JpkiAuth));
}

BOOST_AUTO_TEST_CASE(bad_specs_throw_clear_errors) {
    auto s = spec("abc");
    BOOST_CHECK_EXCEPTION(test::shared_pki().issue(s), pki::PkiError, [](const pki::PkiError& e) {
        return std::string(e.what()).find("not a decimal or 0x-hex integer") != std::string::npos;
    });
    s = spec("0");
    BOOST_CHECK_THROW(test::shared_pki().issue(s), pki::PkiError);
    s = spec("0x" + std::string(42, 'F'));
    BOOST_CHECK_THROW(test::shared_pki().issue(s), pki::PkiError);
    s = spec();
    s.key = "card-99";
    BOOST_CHECK_THROW(test::shared_pki().issue(s), pki::PkiError);
    s = spec();
    std::swap(s.not_before, s.not_after);
    BOOST_CHECK_EXCEPTION(test::shared_pki().issue(s), pki::PkiError, [](const pki::PkiError& e) {
        return std::string(e.what()).find("is before not_before") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(crl_lists_revoked_serials_and_verifies) {
    const auto der = test::shared_pki().crl(pki::CaId::JpkiAuth, {{"0x1004", at("-30d")}, {"4097", at("-1d")}},
                                            mynasim::default_reference_time, at("+1y"));
    const unsigned char* p = der.data();
    crypto::UniqueCrl crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
    BOOST_REQUIRE(crl);
    auto ca = parse(test::shared_pki().ca_certificate(pki::CaId::JpkiAuth));
    crypto::SharedKey key = crypto::share_key(X509_get_pubkey(ca.get()));
    BOOST_TEST(X509_CRL_verify(crl.get(), key.get()) == 1);
    const auto* revoked = X509_CRL_get_REVOKED(crl.get());
    BOOST_REQUIRE(sk_X509_REVOKED_num(revoked) == 2);
    BOOST_TEST(ASN1_INTEGER_get(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, 0))) == 0x1001);
    BOOST_TEST(ASN1_INTEGER_get(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, 1))) == 0x1004);
    BOOST_TEST(der == test::shared_pki().crl(pki::CaId::JpkiAuth, {{"4097", at("-1d")}, {"0x1004", at("-30d")}},
                                             mynasim::default_reference_time, at("+1y")));
}

BOOST_AUTO_TEST_CASE(service_certificates) {
    const auto server = test::shared_pki().server_tls_certificate();
    auto cert = parse(server.der);
    BOOST_REQUIRE(cert);
    BOOST_TEST(signed_by(server.der, pki::CaId::ServerTls));
    BOOST_TEST(X509_check_host(cert.get(), "localhost", 0, 0, nullptr) == 1);
    BOOST_TEST(X509_check_ip_asc(cert.get(), "127.0.0.1", 0) == 1);
    BOOST_TEST(X509_check_ip_asc(cert.get(), "::1", 0) == 1);
    BOOST_TEST(X509_check_host(cert.get(), "example.com", 0, 0, nullptr) != 1);
    const auto institution = test::shared_pki().institution_certificate();
    BOOST_TEST(signed_by(institution.der, pki::CaId::TokuteiKikan));
    BOOST_TEST(EVP_PKEY_get_base_id(institution.key.get()) == EVP_PKEY_EC);
}

BOOST_AUTO_TEST_CASE(bundle_writes_every_file) {
    const auto dir = std::filesystem::temp_directory_path() / ("mynasim-bundle-" + std::to_string(::getpid()));
    pki::write_bundle(test::shared_pki(), dir, pki::BundleContents{{{"0x1004", at("-30d")}}, {}, mynasim::default_reference_time});
    for (const char* file : {"ca/jpki-auth-ca.pem", "ca/jpki-sign-ca.pem", "ca/unknown-ca.pem", "ca/tokutei-kikan-ca.pem",
                             "ca/server-tls-ca.pem", "ca/jpki-bundle.pem", "crl/jpki-auth-ca.crl", "crl/jpki-sign-ca.crl",
                             "server/server.crt", "server/server.key", "tokutei-kikan/institution.crt",
                             "tokutei-kikan/institution.key"})
        BOOST_TEST(std::filesystem::file_size(dir / file) > 100u, file);
    std::filesystem::remove_all(dir);
    BOOST_CHECK_THROW(pki::write_bundle(test::shared_pki(), "/proc/mynasim-cannot-write", {}), pki::PkiError);
}

BOOST_AUTO_TEST_SUITE_END()
