#pragma once
// Owning handles for OpenSSL objects, and the one place that turns OpenSSL's error queue into exceptions.
#include <memory>
#include <stdexcept>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace mynasim::crypto {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct X509CrlFree { void operator()(X509_CRL* p) const { X509_CRL_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };

using UniqueCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using UniqueMdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using UniqueX509 = std::unique_ptr<X509, X509Free>;
using UniqueCrl = std::unique_ptr<X509_CRL, X509CrlFree>;
using UniqueBio = std::unique_ptr<BIO, BioFree>;
// Keys are shared: a card definition, a certificate and a cached key store can all hold the same key.
using SharedKey = std::shared_ptr<EVP_PKEY>;

inline SharedKey share_key(EVP_PKEY* raw) { return SharedKey(raw, PkeyFree{}); }

class CryptoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws CryptoError with `what` and the text of OpenSSL's most recent error, clearing the queue.
[[noreturn]] void throw_openssl_error(const std::string& what);

}  // namespace mynasim::crypto
