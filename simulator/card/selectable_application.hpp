#pragma once
// Applications that are present and selectable but whose contents are out of scope: 住基 AP, 共通 AP.
#include "card/card_definition.hpp"

namespace mynasim::card {

Bytes juki_aid();
Bytes common_aid();
ApplicationDefinition make_juki_application();
ApplicationDefinition make_common_application();

}  // namespace mynasim::card
