#include "error_answer.hpp"

#include "onshi/wire/element_names.hpp"

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

}  // namespace mynasim::onshi
