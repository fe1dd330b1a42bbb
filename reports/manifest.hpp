#pragma once
// A signed manifest of a report folder, so a report cannot be edited unnoticed: manifest.json lists
// every report file with its SHA-256 and holds the signer's Ed25519 public key; manifest.sig is the
// Ed25519 signature of manifest.json's exact bytes.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mynasim::reports {

// The two files a manifest adds to a report folder.
inline constexpr std::string_view manifest_file = "manifest.json";
inline constexpr std::string_view signature_file = "manifest.sig";

struct SigningKey {
    std::string private_pem;
    bool generated = false;  // a throwaway TEST key: the report is consistent, but nobody vouches for it
};

// The key in `file` (PEM, Ed25519), or a freshly generated one when `file` is empty.
// Throws std::runtime_error naming the file and what is wrong.
SigningKey load_or_generate_signing_key(const std::string& file);

// Writes DIR/manifest.json and DIR/manifest.sig over `files` (names relative to DIR).
void write_manifest(const std::filesystem::path& dir, const std::vector<std::string>& files, const SigningKey& key);

struct Verification {
    bool ok = false;
    std::vector<std::string> problems;  // each names the file and what is wrong
    std::string signer_fingerprint;     // SHA-256 of the public key (hex)
};

// Checks the signature, every listed file's hash, and that no other file sits beside them.
// With `expected_public_key_pem`, the signer must be that key.
Verification verify_manifest(const std::filesystem::path& dir, const std::string& expected_public_key_pem = {});

}  // namespace mynasim::reports
