#pragma once
// The TEST keys that ship with the project (simulator/pki/keys/*.pem, embedded into the binary at
// build time). Keys are generated once, by simulator/pki/keys/generate.sh, never at build or run time.
#include <string>
#include <string_view>
#include <vector>

#include "crypto/openssl_handles.hpp"

namespace mynasim::pki {

class PkiError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class KeyStore {
public:
    // The embedded keys; parsed once, on first use.
    static const KeyStore& builtin();

    bool has(std::string_view name) const;
    // Throws PkiError naming the key and listing the known names when it does not exist.
    crypto::SharedKey key(std::string_view name) const;
    // PKCS#8 PEM text of the private key.
    std::string private_pem(std::string_view name) const;
    std::vector<std::string> names() const;
    // Size in bits of an RSA key, or of the curve for an EC key.
    int bits(std::string_view name) const;

private:
    KeyStore();
    struct Entry {
        std::string pem;
        crypto::SharedKey key;
    };
    std::vector<std::pair<std::string, Entry>> entries_;
    const Entry& entry(std::string_view name) const;
};

}  // namespace mynasim::pki
