#pragma once
// An error answer of the mock: SegmentOfResult 9, ProcessingResultStatus 2, the table's code and message,
// and the detail. Shared by the service and the file interface, written by the one XmlWriter.
#include <string>
#include <string_view>

#include "onshi/service/error_table.hpp"
#include "onshi/wire/xml_writer.hpp"

namespace mynasim::onshi {

// The answer's elements, into the element `out` has open (a bulk answer embeds error answers).
XmlWriter& write_error(XmlWriter& out, const ErrorEntry& entry, std::string_view file_identifier, std::string_view detail);
// A whole error answer (UTF-8) whose root is `root`.
std::string error_answer(const char* root, const ErrorEntry& entry, std::string_view file_identifier, std::string_view detail);

}  // namespace mynasim::onshi
