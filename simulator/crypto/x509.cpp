#include "x509.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>

namespace mynasim::crypto {

UniqueX509 parse_certificate(ByteView der) {
    const unsigned char* cursor = der.data();
    UniqueX509 cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!cert || cursor != der.data() + der.size()) {
        ERR_clear_error();
        return nullptr;
    }
    return cert;
}

std::string serial_hex(const X509* certificate) {
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
    if (!bn) return {};
    char* hex = BN_bn2hex(bn);
    std::string out = hex ? hex : "";
    OPENSSL_free(hex);
    BN_free(bn);
    const auto first = out.find_first_not_of('0');
    return first == std::string::npos ? (out.empty() ? out : "0") : out.substr(first);
}

}  // namespace mynasim::crypto
