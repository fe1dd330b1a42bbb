#pragma once
// The encodings of the XML text on the wire, shared by the mock and the reference reception: bodies may come
// in Shift_JIS (as their declaration says) and what XmlWriter writes goes out in the encoding asked for.
#include <optional>
#include <string>
#include <string_view>

namespace mynasim::onshi {

// How every document we write starts (XmlWriter), before in_answer_encoding may make it Shift_JIS.
inline constexpr std::string_view utf8_declaration = "<?xml version=\"1.0\"?>\n";

// The body as UTF-8; nullopt when it is not in the encoding its XML declaration names (UTF-8 or Shift_JIS).
std::optional<std::string> xml_as_utf8(std::string_view body);
// A UTF-8 document that starts with `<?xml version="1.0"?>` in the answer's encoding: as it is, or
// CP932 Shift_JIS with a matching declaration (UTF-8 still, should a character have no Shift_JIS form).
std::string in_answer_encoding(std::string utf8_document, bool shift_jis);

}  // namespace mynasim::onshi
