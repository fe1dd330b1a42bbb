#pragma once
// The encodings of the XML text on the wire, shared by the mock and the reference reception: bodies may come
// in Shift_JIS (as their declaration says); what goes out is XmlWriter's UTF-8, converted by the XmlMsg
// writer where the file says Shift_JIS (xml_msg_writer.hpp).
#include <optional>
#include <string>
#include <string_view>

namespace mynasim::onshi {

// How every document XmlWriter writes starts unless it is given its own declaration.
inline constexpr std::string_view utf8_declaration = "<?xml version=\"1.0\"?>\n";

// The body as UTF-8; nullopt when it is not in the encoding its XML declaration names (UTF-8 or Shift_JIS).
std::optional<std::string> xml_as_utf8(std::string_view body);

}  // namespace mynasim::onshi
