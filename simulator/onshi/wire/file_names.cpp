#include "file_names.hpp"

#include <cstdio>

namespace mynasim::onshi {

namespace {

constexpr std::string_view single_prefix = "OQSsiquc01req_";
constexpr std::string_view bulk_prefix = "OQSmuquc01req_";
constexpr std::string_view xml_suffix = ".xml";

bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

}  // namespace

std::optional<FileRequestName> parse_request_file_name(std::string_view name) {
    FileRequestName parsed;
    std::string_view answer_prefix;
    if (name.substr(0, single_prefix.size()) == single_prefix) {
        parsed.kind = FileRequestKind::Single;
        answer_prefix = "OQSsiquc01res_";
    } else if (name.substr(0, bulk_prefix.size()) == bulk_prefix) {
        parsed.kind = FileRequestKind::Bulk;
        answer_prefix = "OQSmuquc01res_";
    } else {
        return std::nullopt;
    }
    if (!ends_with(name, xml_suffix) || name.size() <= single_prefix.size() + xml_suffix.size()) return std::nullopt;
    parsed.id = std::string(name.substr(single_prefix.size(), name.size() - single_prefix.size() - xml_suffix.size()));
    parsed.answer_name = std::string(answer_prefix) + parsed.id + ".xml";
    parsed.rejection_name = std::string(answer_prefix) + parsed.id + ".err";
    return parsed;
}

bool is_partial_file_name(std::string_view name) {
    return name.empty() || name.front() == '.' || ends_with(name, ".tmp") || ends_with(name, ".part") || ends_with(name, "~");
}

std::string rejection_name_for(std::string_view unknown_name) {
    std::string_view stem = unknown_name;
    if (ends_with(stem, xml_suffix)) stem.remove_suffix(xml_suffix.size());
    return std::string(stem) + ".err";
}

std::string face_file_name(std::string_view yyyymmddhhmmss, unsigned sequence) {
    char number[16];
    std::snprintf(number, sizeof number, "%06u", sequence % 1000000);
    return "OQSsiquc01res_face_" + std::string(yyyymmddhhmmss) + "_" + number + ".xml";
}

}  // namespace mynasim::onshi
