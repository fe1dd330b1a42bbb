#include "key_store.hpp"

#include <map>
#include <openssl/pem.h>

namespace mynasim::pki {

// Generated at build time from simulator/pki/keys/*.pem (cmake/embed_files.cmake).
const std::map<std::string, std::string>& embedded_test_keys();

KeyStore::KeyStore() {
    for (const auto& [name, pem] : embedded_test_keys()) {
        crypto::UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
        EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
        if (!key) crypto::throw_openssl_error("embedded TEST key '" + name + "' does not parse");
        entries_.emplace_back(name, Entry{pem, crypto::share_key(key)});
    }
}

const KeyStore& KeyStore::builtin() {
    static const KeyStore store;  // thread-safe initialisation
    return store;
}

const KeyStore::Entry& KeyStore::entry(std::string_view name) const {
    for (const auto& [entry_name, entry] : entries_)
        if (entry_name == name) return entry;
    std::string known;
    for (const auto& [entry_name, entry] : entries_) known += " " + entry_name;
    throw PkiError("unknown TEST key '" + std::string(name) + "' (known:" + known + ")");
}

bool KeyStore::has(std::string_view name) const {
    for (const auto& [entry_name, entry] : entries_)
        if (entry_name == name) return true;
    return false;
}

crypto::SharedKey KeyStore::key(std::string_view name) const { return entry(name).key; }
std::string KeyStore::private_pem(std::string_view name) const { return entry(name).pem; }

std::vector<std::string> KeyStore::names() const {
    std::vector<std::string> out;
    for (const auto& [name, entry] : entries_) out.push_back(name);
    return out;
}

int KeyStore::bits(std::string_view name) const { return EVP_PKEY_get_bits(entry(name).key.get()); }

}  // namespace mynasim::pki
