#include "manifest.hpp"

#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base/bytes.hpp"
#include "base/file_io.hpp"
#include "crypto/base64.hpp"
#include "crypto/digest.hpp"
#include "crypto/openssl_handles.hpp"

namespace mynasim::reports {

namespace fs = std::filesystem;

namespace {

crypto::SharedKey private_key_from_pem(const std::string& pem, const std::string& name) {
    crypto::UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!key) throw std::runtime_error(name + ": not a PEM private key");
    auto shared = crypto::share_key(key);
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) throw std::runtime_error(name + ": the signing key must be Ed25519");
    return shared;
}

std::string public_pem(EVP_PKEY* key) {
    crypto::UniqueBio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), key);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string raw_public_key_hex(EVP_PKEY* key) {
    unsigned char raw[64];
    std::size_t length = sizeof raw;
    EVP_PKEY_get_raw_public_key(key, raw, &length);
    return crypto::sha256_hex(std::string(reinterpret_cast<char*>(raw), length));
}

}  // namespace

SigningKey load_or_generate_signing_key(const std::string& file) {
    if (!file.empty()) {
        std::string pem;
        try {
            pem = read_file(file);
        } catch (const FileError& e) {
            throw std::runtime_error("--sign-key " + file + ": cannot read the file (" + e.reason() + ")");
        }
        private_key_from_pem(pem, "--sign-key " + file);  // checks it
        return {pem, false};
    }
    crypto::UniqueCtx context(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY* key = nullptr;
    if (!context || EVP_PKEY_keygen_init(context.get()) != 1 || EVP_PKEY_keygen(context.get(), &key) != 1)
        crypto::throw_openssl_error("generating an Ed25519 key");
    auto shared = crypto::share_key(key);
    crypto::UniqueBio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return {std::string(data, static_cast<std::size_t>(n)), true};
}

void write_manifest(const fs::path& dir, const std::vector<std::string>& files, const SigningKey& signing) {
    const auto key = private_key_from_pem(signing.private_pem, "signing key");
    nlohmann::json manifest;
    manifest["format"] = "mynasim-manifest/1";
    manifest["signature"] = "Ed25519 over the exact bytes of manifest.json, base64 in manifest.sig";
    manifest["public_key"] = public_pem(key.get());
    manifest["test_key"] = signing.generated;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& name : files) {
        const auto bytes = read_file(dir / name);
        list.push_back({{"file", name}, {"sha256", crypto::sha256_hex(bytes)}, {"bytes", bytes.size()}});
    }
    manifest["files"] = list;
    const std::string text = manifest.dump(2) + "\n";
    write_file_atomically(dir / manifest_file, text);
    crypto::UniqueMdCtx context(EVP_MD_CTX_new());
    std::size_t length = 0;
    if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1)
        crypto::throw_openssl_error("signing the manifest");
    Bytes signature(length);
    if (EVP_DigestSign(context.get(), signature.data(), &length, reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1)
        crypto::throw_openssl_error("signing the manifest");
    write_file_atomically(dir / signature_file, crypto::base64_encode(signature) + "\n");
}

Verification verify_manifest(const fs::path& dir, const std::string& expected_public_key_pem) {
    Verification v;
    // A file that cannot be read is reported like a missing one: verification lists problems, never throws.
    const auto read = [](const fs::path& path) -> std::optional<std::string> {
        try {
            return read_file_if_exists(path);
        } catch (const FileError&) {
            return std::nullopt;
        }
    };
    const auto text = read(dir / manifest_file);
    const auto signature_text = read(dir / signature_file);
    if (!text || !signature_text) {
        v.problems.push_back((dir / (text ? signature_file : manifest_file)).string() + ": missing");
        return v;
    }
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::exception& e) {
        v.problems.push_back("manifest.json: not JSON (" + std::string(e.what()) + ")");
        return v;
    }
    const std::string pem = manifest.value("public_key", std::string());
    crypto::UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (!raw || EVP_PKEY_get_id(raw) != EVP_PKEY_ED25519) {
        if (raw) EVP_PKEY_free(raw);
        v.problems.push_back("manifest.json: no Ed25519 public key");
        return v;
    }
    const auto key = crypto::share_key(raw);
    v.signer_fingerprint = raw_public_key_hex(key.get());
    if (!expected_public_key_pem.empty()) {
        crypto::UniqueBio expected_bio(BIO_new_mem_buf(expected_public_key_pem.data(), static_cast<int>(expected_public_key_pem.size())));
        EVP_PKEY* expected = PEM_read_bio_PUBKEY(expected_bio.get(), nullptr, nullptr, nullptr);
        const bool same = expected && EVP_PKEY_eq(expected, key.get()) == 1;
        if (expected) EVP_PKEY_free(expected);
        if (!same) v.problems.push_back("manifest.json: signed by another key than the one given");
    }
    std::string trimmed = *signature_text;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
    const auto signature = crypto::base64_decode(trimmed);
    crypto::UniqueMdCtx context(EVP_MD_CTX_new());
    const bool signed_ok = signature && context && EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
                           EVP_DigestVerify(context.get(), signature->data(), signature->size(),
                                            reinterpret_cast<const unsigned char*>(text->data()), text->size()) == 1;
    if (!signed_ok) v.problems.push_back("manifest.json: the signature in manifest.sig does not match (the manifest was edited)");
    std::set<std::string> listed{std::string(manifest_file), std::string(signature_file)};
    for (const auto& entry : manifest.value("files", nlohmann::json::array())) {
        const std::string name = entry.value("file", std::string());
        listed.insert(name);
        if (name.empty() || name.find("..") != std::string::npos || name.front() == '/') {
            v.problems.push_back("manifest.json: bad file name '" + name + "'");
            continue;
        }
        const auto bytes = read(dir / name);
        if (!bytes) {
            v.problems.push_back(name + ": missing");
        } else if (crypto::sha256_hex(*bytes) != entry.value("sha256", std::string())) {
            v.problems.push_back(name + ": edited (its SHA-256 differs from the manifest's)");
        }
    }
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && !listed.count(entry.path().filename().string()))
            v.problems.push_back(entry.path().filename().string() + ": not in the manifest");
    v.ok = v.problems.empty();
    return v;
}

}  // namespace mynasim::reports
