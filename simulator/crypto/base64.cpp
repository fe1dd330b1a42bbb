#include "base64.hpp"

#include <openssl/evp.h>

namespace mynasim::crypto {

std::string base64_encode(ByteView data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<Bytes> base64_decode(const std::string& text) {
    std::string compact;
    for (char c : text)
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') compact.push_back(c);
    if (compact.empty() || compact.size() % 4 != 0) return std::nullopt;
    for (std::size_t i = 0; i < compact.size(); ++i) {
        const char c = compact[i];
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        const bool padding = c == '=' && i + 2 >= compact.size();
        if (!alphabet && !padding) return std::nullopt;
    }
    if (compact[compact.size() - 2] == '=' && compact.back() != '=') return std::nullopt;
    Bytes out(compact.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(compact.data()),
                                  static_cast<int>(compact.size()));
    if (n < 0) return std::nullopt;
    std::size_t length = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts padding as zero bytes: drop them.
    if (compact.size() >= 1 && compact.back() == '=') --length;
    if (compact.size() >= 2 && compact[compact.size() - 2] == '=') --length;
    out.resize(length);
    return out;
}

}  // namespace mynasim::crypto
