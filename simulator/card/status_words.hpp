#pragma once
// ISO 7816-4 status words the card uses, and their meaning for traces.
#include <cstdint>
#include <string_view>

namespace mynasim::card {

using StatusWord = std::uint16_t;

namespace sw {
inline constexpr StatusWord ok = 0x9000;
inline constexpr StatusWord end_of_file_before_le = 0x6282;      // fewer bytes than Le exist
inline constexpr StatusWord verification_failed = 0x6300;        // MODELED: 特定機関認証 signature rejected
inline constexpr StatusWord wrong_length = 0x6700;
inline constexpr StatusWord incompatible_file_structure = 0x6981;  // e.g. READ BINARY on a PIN EF
inline constexpr StatusWord security_status_not_satisfied = 0x6982;
inline constexpr StatusWord authentication_method_blocked = 0x6983;
inline constexpr StatusWord reference_data_not_usable = 0x6984;   // MODELED: a PIN never set (顔認証マイナンバーカード)
inline constexpr StatusWord conditions_not_satisfied = 0x6985;
inline constexpr StatusWord no_current_ef = 0x6986;
inline constexpr StatusWord wrong_data = 0x6A80;
inline constexpr StatusWord file_not_found = 0x6A82;
inline constexpr StatusWord wrong_p1_p2 = 0x6A86;
inline constexpr StatusWord referenced_data_not_found = 0x6A88;
inline constexpr StatusWord offset_outside_ef = 0x6B00;
inline constexpr StatusWord ins_not_supported = 0x6D00;
inline constexpr StatusWord cla_not_supported = 0x6E00;
inline constexpr StatusWord no_precise_diagnosis = 0x6F00;
// 63 Cx: verification failed, x tries left.
constexpr StatusWord tries_left(int n) { return static_cast<StatusWord>(0x63C0 | (n & 0x0F)); }
}  // namespace sw

// "OK", "wrong length", "PIN wrong, 2 tries left", ... ; "unknown status" for anything else.
std::string_view status_meaning(StatusWord sw);

}  // namespace mynasim::card
