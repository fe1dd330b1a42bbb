#include "xml_text.hpp"

#include "onshi/wire/charset.hpp"

namespace mynasim::onshi {

std::optional<std::string> xml_as_utf8(std::string_view body) {
    const std::string declared = declared_xml_encoding(body);
    if (declared.empty() || declared == "UTF-8") return std::string(body);
    if (is_shift_jis_name(declared)) return shift_jis_to_utf8(body);
    return std::nullopt;
}

}  // namespace mynasim::onshi
