#pragma once
// An error answer of the mock: SegmentOfResult 9, ProcessingResultStatus 2, the table's code and message,
// and the detail. Shared by the service and the file interface.
#include <string>

#include <pugixml.hpp>

#include "onshi/service/error_table.hpp"

namespace mynasim::onshi {

void fill_error(pugi::xml_document& doc, const char* root, const ErrorEntry& entry, const std::string& file_identifier,
                const std::string& detail);

}  // namespace mynasim::onshi
