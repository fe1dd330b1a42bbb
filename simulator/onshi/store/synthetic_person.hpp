#pragma once
// The synthetic population of `mynasim server gen`: person n of a seeded stream, with the result fields a
// real answer carries in about the shares a clinic meets them (docs/onshi-dataset.md, "Synthetic
// persons"): 後期高齢者 from 75 (広域連合, 1割 or 3割), 70–74 with a 高齢受給者証, 未就学 children, 家族 whose
// InsuredName is the head of household, addresses, 限度額 and 特定疾病 certificates, 医療扶助 recipients (some
// without this month's 医療券: QualificationValidity 6), 通称名, a ● for a 外字, earlier qualifications lost
// with their reason. Ages count on the reference date (2026-04-01), so a seed always gives the same data.
// Insurers, ids and addresses say SYNTHETIC or TEST; no value is a real person's.
#include <cstdint>
#include <vector>

#include "onshi/store/dataset.hpp"

namespace mynasim::onshi {

// The insurers the synthetic persons belong to (numbers unique, none a real insurer's).
std::vector<Insurer> synthetic_insurers();

class SyntheticPopulation {
public:
    explicit SyntheticPopulation(std::uint64_t seed) : state_(seed) {}
    // Person number n (0-based) of the stream; call with n = 0, 1, 2, … in order. Id SYN-<n+1, 7 digits>,
    // one active certificate with serial 0x5000000 + n; the current qualification last in its history.
    Person next(std::size_t n);

private:
    std::uint64_t state_;
};

}  // namespace mynasim::onshi
