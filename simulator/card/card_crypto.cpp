#include "card_crypto.hpp"

#include <openssl/err.h>
#include <openssl/rsa.h>

namespace mynasim::card {

std::size_t rsa_modulus_bytes(EVP_PKEY* key) {
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return 0;
    return static_cast<std::size_t>(EVP_PKEY_get_size(key));
}

std::optional<Bytes> rsa_sign_pkcs1(EVP_PKEY* key, ByteView digest_info) {
    const std::size_t k = rsa_modulus_bytes(key);
    if (k == 0 || digest_info.empty() || digest_info.size() + 11 > k) return std::nullopt;
    crypto::UniqueCtx ctx(EVP_PKEY_CTX_new(key, nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0)
        crypto::throw_openssl_error("preparing the RSA signature");
    std::size_t length = k;
    Bytes signature(k);
    // No digest is set on the context, so OpenSSL pads and signs the input as it is.
    if (EVP_PKEY_sign(ctx.get(), signature.data(), &length, digest_info.data(), digest_info.size()) <= 0)
        crypto::throw_openssl_error("RSA signature");
    signature.resize(length);
    return signature;
}

std::optional<crypto::SharedKey> verified_certificate_key(ByteView der, EVP_PKEY* issuer_key, bool& malformed) {
    malformed = false;
    const unsigned char* cursor = der.data();
    crypto::UniqueX509 cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!cert || cursor != der.data() + der.size()) {
        ERR_clear_error();
        malformed = true;
        return std::nullopt;
    }
    if (!issuer_key || X509_verify(cert.get(), issuer_key) != 1) {
        ERR_clear_error();  // a rejected certificate is an answer, not an error to report later
        return std::nullopt;
    }
    EVP_PKEY* key = X509_get_pubkey(cert.get());  // new reference
    if (!key) {
        malformed = true;
        return std::nullopt;
    }
    return crypto::share_key(key);
}

bool verify_sha256_signature(EVP_PKEY* key, ByteView message, ByteView signature) {
    crypto::UniqueMdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
    const bool good =
        EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
    ERR_clear_error();
    return good;
}

}  // namespace mynasim::card
