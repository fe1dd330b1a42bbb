#include "xml_text.hpp"

#include "onshi/wire/charset.hpp"

namespace mynasim::onshi {

std::optional<std::string> xml_as_utf8(std::string_view body) {
    const std::string declared = declared_xml_encoding(body);
    if (declared.empty() || declared == "UTF-8") return std::string(body);
    if (is_shift_jis_name(declared)) return shift_jis_to_utf8(body);
    return std::nullopt;
}

namespace {

constexpr std::string_view shift_jis_declaration = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n";

}  // namespace

std::string in_answer_encoding(std::string utf8_document, bool shift_jis) {
    if (!shift_jis || utf8_document.rfind(utf8_declaration, 0) != 0) return utf8_document;
    const std::string text = std::string(shift_jis_declaration) + utf8_document.substr(utf8_declaration.size());
    // Our own data is all in CP932; should a value not be, the answer stays UTF-8 and says so.
    if (auto converted = utf8_to_shift_jis(text)) return std::move(*converted);
    return utf8_document;
}

}  // namespace mynasim::onshi
