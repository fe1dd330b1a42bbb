#include "signature.hpp"

#include "crypto/digest.hpp"

#include <openssl/err.h>
#include <openssl/rsa.h>

namespace mynasim::crypto {

bool verify_pkcs1_sha256(EVP_PKEY* key, ByteView message, ByteView signature) {
    UniqueMdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    const bool ok = ctx && key && EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
                    EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
    ERR_clear_error();  // a failed check is an answer, not an error to report later
    return ok;
}

Bytes sha256_digest_info(ByteView message) {
    // DER prefix of DigestInfo { AlgorithmIdentifier sha256 NULL, OCTET STRING (32) } (RFC 8017, 9.2 note 1).
    Bytes info{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
               0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    const Bytes digest = sha256(message);
    info.insert(info.end(), digest.begin(), digest.end());
    return info;
}

}  // namespace mynasim::crypto
