#include "file_names.hpp"

#include <cstdio>

namespace mynasim::onshi {

namespace {

// The request families this version serves: the name's leading code says which (a request is
// `<code>req_<id>.xml`, its answers `<code>res_<id>.xml` and `.err`).
struct Family {
    FileRequestKind kind;
    std::string_view code;
    std::string_view label;  // in the rule a misnamed file is told
};
constexpr Family families[] = {
    {FileRequestKind::Single, "OQSsiquc01", "single"},
    {FileRequestKind::Bulk, "OQSmuquc01", "bulk"},
};
constexpr std::string_view request_part = "req_";
constexpr std::string_view answer_part = "res_";
constexpr std::string_view face_part = "res_face_";  // after the single family's code
constexpr std::string_view xml_suffix = ".xml";
constexpr std::string_view rejection_suffix = ".err";

bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

const Family& family_of(FileRequestKind kind) {
    for (const auto& family : families)
        if (family.kind == kind) return family;
    return families[0];
}

std::string joined(std::string_view a, std::string_view b, std::string_view c, std::string_view d) {
    std::string text;
    text.reserve(a.size() + b.size() + c.size() + d.size());
    return text.append(a).append(b).append(c).append(d);
}

}  // namespace

FileRequestName file_request_name(FileRequestKind kind, std::string_view id) {
    const auto code = family_of(kind).code;
    return FileRequestName{kind, std::string(id), joined(code, request_part, id, xml_suffix),
                           joined(code, answer_part, id, xml_suffix), joined(code, answer_part, id, rejection_suffix)};
}

std::optional<FileRequestName> parse_request_file_name(std::string_view name) {
    for (const auto& family : families) {
        const std::size_t prefix = family.code.size() + request_part.size();
        if (name.substr(0, family.code.size()) != family.code || name.substr(family.code.size(), request_part.size()) != request_part)
            continue;
        if (!ends_with(name, xml_suffix) || name.size() <= prefix + xml_suffix.size()) return std::nullopt;
        return file_request_name(family.kind, name.substr(prefix, name.size() - prefix - xml_suffix.size()));
    }
    return std::nullopt;
}

std::string request_file_name_rule() {
    std::string rule;
    for (const auto& family : families) {
        if (!rule.empty()) rule += " or ";
        rule += file_request_name(family.kind, "<id>").request_name;
        rule.append(" (").append(family.label).append(")");
    }
    return rule;
}

bool is_partial_file_name(std::string_view name) {
    return name.empty() || name.front() == '.' || ends_with(name, ".tmp") || ends_with(name, ".part") || ends_with(name, "~");
}

std::string rejection_name_for(std::string_view unknown_name) {
    std::string_view stem = unknown_name;
    if (ends_with(stem, xml_suffix)) stem.remove_suffix(xml_suffix.size());
    return std::string(stem).append(rejection_suffix);
}

std::string face_file_name(std::string_view yyyymmddhhmmss, unsigned sequence) {
    char number[16];
    std::snprintf(number, sizeof number, "_%06u", sequence % 1000000);
    return joined(family_of(FileRequestKind::Single).code, face_part, yyyymmddhhmmss, number).append(xml_suffix);
}

}  // namespace mynasim::onshi
