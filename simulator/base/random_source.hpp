#pragma once
// Randomness is injected wherever it is used (the card core, the mock server, generated datasets);
// nothing draws it globally. One generator (splitmix64) serves every reproducible stream and hash mix.
#include <cstdint>
#include <span>

namespace mynasim {

// splitmix64's finaliser: every bit of the input reaches every bit of the output (hash tables use it).
constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// splitmix64's step: the next value of the stream whose state is `state`.
constexpr std::uint64_t splitmix64(std::uint64_t& state) { return mix64(state += 0x9E3779B97F4A7C15ULL); }

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

}  // namespace mynasim
