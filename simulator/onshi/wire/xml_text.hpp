#pragma once
// XML in and out of the mock server, shared by the HTTP service and the file interface: bodies may come in
// Shift_JIS (as their declaration says) and answers go out in the encoding the request asked for.
#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace mynasim::onshi {

// How every document we write starts (XmlWriter), before in_answer_encoding may make it Shift_JIS.
inline constexpr std::string_view utf8_declaration = "<?xml version=\"1.0\"?>\n";

// The body as UTF-8; nullopt when it is not in the encoding its XML declaration names (UTF-8 or Shift_JIS).
std::optional<std::string> xml_as_utf8(std::string_view body);
// The document's text, UTF-8 or (CP932) Shift_JIS with a matching declaration.
std::string render_xml(const pugi::xml_document& doc, bool shift_jis = false);
// A UTF-8 document that starts with `<?xml version="1.0"?>` in the answer's encoding: as it is, or
// CP932 Shift_JIS with a matching declaration (UTF-8 still, should a character have no Shift_JIS form).
std::string in_answer_encoding(std::string utf8_document, bool shift_jis);
// Whether a document in_answer_encoding made is the Shift_JIS one (it starts with that declaration).
bool is_shift_jis_document(std::string_view document);
void add_element(pugi::xml_node parent, const char* name, const std::string& value);

}  // namespace mynasim::onshi
