#include "digest.hpp"

#include <openssl/evp.h>

#include "crypto/openssl_handles.hpp"

namespace mynasim::crypto {

Bytes sha256(ByteView data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) throw_openssl_error("SHA-256");
    return Bytes(digest, digest + length);
}

std::string sha256_hex(std::string_view data) {
    return to_hex(sha256(ByteView(reinterpret_cast<const std::uint8_t*>(data.data()), data.size())));
}

}  // namespace mynasim::crypto
