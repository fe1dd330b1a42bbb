#pragma once
// Shift_JIS for the file interface's CharacterCodeIdentifier 1. Japanese systems write Windows' variant
// (CP932, a superset of JIS X 0208 Shift_JIS), so that is what "Shift_JIS" means here.
#include <optional>
#include <string>
#include <string_view>

namespace mynasim::onshi {

std::optional<std::string> shift_jis_to_utf8(std::string_view text);  // nullopt: not valid Shift_JIS
std::optional<std::string> utf8_to_shift_jis(std::string_view text);  // nullopt: a character CP932 lacks
// As the terminal shows a character outside its set (外字): each character CP932 lacks becomes ● (and
// bytes that are no UTF-8 become ● too, one per byte). Never fails.
std::string utf8_to_shift_jis_replacing(std::string_view text);
// The encoding named in an XML declaration (`<?xml … encoding="…"?>`), upper-cased; empty if none.
std::string declared_xml_encoding(std::string_view xml);
bool is_shift_jis_name(const std::string& upper_name);  // SHIFT_JIS, SHIFT-JIS, SJIS, CP932, WINDOWS-31J, MS932

}  // namespace mynasim::onshi
