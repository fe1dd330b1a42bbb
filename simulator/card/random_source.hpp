#pragma once
// Randomness is injected into the card core; nothing in the core draws it globally.
#include <cstdint>
#include <span>

namespace mynasim::card {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;
};

// Reproducible stream (splitmix64) for tests and seeded runs.
class SeededRandom final : public RandomSource {
public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
    void fill(std::span<std::uint8_t> out) override;

private:
    std::uint64_t state_;
};

// OpenSSL's CSPRNG, for live emulation.
class SystemRandom final : public RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override;
};

}  // namespace mynasim::card
