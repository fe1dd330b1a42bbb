#include "signature.hpp"

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

}  // namespace mynasim::crypto
