#include "error_answer.hpp"

#include "onshi/wire/element_names.hpp"
#include "onshi/wire/xml_text.hpp"

namespace mynasim::onshi {

XmlWriter& write_error(XmlWriter& out, const ErrorEntry& entry, std::string_view file_identifier, std::string_view detail) {
    out.element(element::ArbitraryFileIdentifier, file_identifier)
        .element(element::SegmentOfResult, "9")
        .element(element::ProcessingResultStatus, "2")
        .element(element::ErrorCode, entry.code)
        .element(element::ErrorMessage, entry.message);
    if (!detail.empty()) out.element(element::ErrorDetail, detail);
    return out;
}

std::string error_answer(const char* root, const ErrorEntry& entry, std::string_view file_identifier, std::string_view detail) {
    XmlWriter out(root);
    return write_error(out, entry, file_identifier, detail).finish();
}

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
