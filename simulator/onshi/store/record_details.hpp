#pragma once
// The optional parts of a person and of a qualification (addresses, the certificates that come with a
// qualification, …), kept in the store as one value each: most persons have none of them, the answer reads
// them only for the person it answers, and one column keeps the registry snapshot's records small. The
// encoding is the snapshot's own (length-prefixed fields in a fixed order, a count before each list); an
// empty value means "none of them", so a person without any costs one empty field.
#include <string>
#include <string_view>

#include "onshi/store/dataset.hpp"

namespace mynasim::onshi {

std::string encode_details(const Person& person);
std::string encode_details(const Qualification& qualification);
// Fill the optional parts from `encoded` (what encode_details wrote). Throws std::runtime_error on a value
// it did not write (a store edited by hand).
void decode_details(std::string_view encoded, Person& person);
void decode_details(std::string_view encoded, Qualification& qualification);

}  // namespace mynasim::onshi
