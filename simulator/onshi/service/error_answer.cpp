#include "error_answer.hpp"

#include "onshi/wire/xml_text.hpp"

namespace mynasim::onshi {

void fill_error(pugi::xml_document& doc, const char* root_name, const ErrorEntry& entry, const std::string& file_identifier,
                const std::string& detail) {
    auto root = doc.append_child(root_name);
    add_element(root, "ArbitraryFileIdentifier", file_identifier);
    add_element(root, "SegmentOfResult", "9");
    add_element(root, "ProcessingResultStatus", "2");
    add_element(root, "ErrorCode", entry.code);
    add_element(root, "ErrorMessage", entry.message);
    if (!detail.empty()) add_element(root, "ErrorDetail", detail);
}

}  // namespace mynasim::onshi
