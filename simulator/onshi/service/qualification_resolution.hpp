#pragma once
// Which qualification answers a confirmation on a given date (MODELED from the spec's code values):
//   1 有効                  exactly one qualification is valid on the date
//   5 複数該当              more than one is valid on the date (all are returned)
//   2 無効                  none is valid on the date (資格喪失); the most recent one is returned
//   3 無効(新しい資格あり)    insurance-card path: the card's qualification is not valid on the date but
//                           the person has another one that is (both are returned, the card's first)
//   4 該当資格なし           the person has no qualification at all
//   6 有効(未登録)           医療扶助 (InsuredCardClassification A1) valid on the date, but no 医療券 of the
//                           welfare office covers the date (MODELED: the spec names the value, not its rule)
#include <optional>
#include <string>
#include <vector>

#include "onshi/store/dataset.hpp"

namespace mynasim::onshi {

struct Resolution {
    std::string validity;             // "1".."6"
    std::vector<std::size_t> picked;  // what the answer carries: indices into the history resolved (nothing is copied)
};

bool valid_on(const Qualification& q, const std::string& date);  // date YYYYMMDD
// 医療扶助 valid on the date without a 医療券 for it (validity 6 instead of 1).
bool welfare_without_ticket(const Qualification& q, const std::string& date);

// Certificate paths (PIN, PIN無し): the person's whole history.
Resolution resolve_for_person(const std::vector<Qualification>& history, const std::string& date);
// Insurance-card path: `card` is the index in `history` of the qualification the card names.
Resolution resolve_for_card(const std::vector<Qualification>& history, std::size_t card, const std::string& date);

}  // namespace mynasim::onshi
