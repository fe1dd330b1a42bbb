#pragma once
// 券面事項入力補助 AP: 個人番号 and 基本4情報 behind the AP's own 4-digit PIN.
#include <string>

#include "card/card_definition.hpp"

namespace mynasim::card {

struct KenmenHojoContent {
    std::string my_number;   // 12 digits
    std::string name;        // UTF-8
    std::string address;     // UTF-8
    std::string birth_date;  // YYYYMMDD
    std::string sex;         // code: 1 male, 2 female, 3 other (9 not applicable)
};

Bytes kenmen_hojo_aid();
// MODELED layouts, kept here and nowhere else so they are easy to correct:
//   EF 0001: DF21 0C <12 ASCII digits>
//   EF 0002: FF20 L { DF22 name, DF23 address, DF24 birth date YYYYMMDD, DF25 sex code } (BER lengths)
Bytes encode_my_number(const KenmenHojoContent& content);
Bytes encode_basic_four(const KenmenHojoContent& content);
ApplicationDefinition make_kenmen_hojo_application(const KenmenHojoContent& content);

// BER-TLV with a one- or two-byte tag and definite length (short or 81/82 long form).
Bytes ber_tlv(std::uint16_t tag, ByteView value);

}  // namespace mynasim::card
