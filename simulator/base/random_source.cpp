#include "random_source.hpp"

#include <stdexcept>
#include <string>

#include <openssl/err.h>
#include <openssl/rand.h>

namespace mynasim {

void SeededRandom::fill(std::span<std::uint8_t> out) {
    std::size_t i = 0;
    while (i < out.size()) {
        const std::uint64_t z = splitmix64(state_);
        for (int b = 0; b < 8 && i < out.size(); ++b, ++i) out[i] = static_cast<std::uint8_t>(z >> (8 * b));
    }
}

void SystemRandom::fill(std::span<std::uint8_t> out) {
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) == 1) return;
    char reason[256] = "no reason given";
    if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, reason, sizeof reason);
    ERR_clear_error();
    throw std::runtime_error(std::string("RAND_bytes: ") + reason);
}

}  // namespace mynasim
