#include "file_names.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace mynasim::onshi {

namespace {

constexpr std::string_view single_code = "OQSsiquc01";
constexpr std::string_view request_part = "req_";
constexpr std::string_view answer_part = "res_";
constexpr std::string_view face_part = "res_face_";
constexpr std::string_view xml_suffix = ".xml";
constexpr std::string_view rejection_suffix = ".err";
constexpr std::string_view face_processing_code = "001";

bool same_letters(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// The request families the spec names that this version answers with "not served" (a name starting so,
// in any case, ending .xml). The bulk families are named by their prefix up to the step's number.
struct RequestFamily {
    std::string_view prefix, what;
};
constexpr RequestFamily unserved_families[] = {
    {"OQSmuquc", "資格確認 (一括)"},        {"OQSmuhvq", "訪問診療の資格確認 (一括)"}, {"OQSmuonq", "オンライン診療の資格確認 (一括)"},
    {"OQSmutic", "医療扶助の資格確認 (一括)"}, {"OQSsiimm", "照会番号登録"},               {"OQSmuimm", "照会番号登録 (一括)"},
    {"YZKsiquc", "薬剤情報"},               {"TKKsiquc", "特定健診情報"},
};

std::string joined(std::initializer_list<std::string_view> parts) {
    std::string text;
    for (const auto part : parts) text.append(part);
    return text;
}

}  // namespace

FileRequestName single_request_name(std::string_view id) {
    return FileRequestName{std::string(id), joined({single_code, request_part, id, xml_suffix}),
                           joined({single_code, answer_part, id, xml_suffix}), joined({single_code, request_part, id, rejection_suffix})};
}

std::optional<FileRequestName> parse_request_file_name(std::string_view name) {
    const std::size_t prefix = single_code.size() + request_part.size();
    if (name.size() <= prefix + xml_suffix.size()) return std::nullopt;
    if (!same_letters(name.substr(0, prefix), joined({single_code, request_part})) ||
        !same_letters(name.substr(name.size() - xml_suffix.size()), xml_suffix))
        return std::nullopt;
    auto names = single_request_name(name.substr(prefix, name.size() - prefix - xml_suffix.size()));
    names.request_name = std::string(name);
    // The .err answers the request by its own name (as written: a reception looks for what it wrote).
    names.rejection_name = std::string(name.substr(0, name.size() - xml_suffix.size())) + std::string(rejection_suffix);
    return names;
}

std::optional<std::string> unserved_request_kind(std::string_view name) {
    if (name.size() <= xml_suffix.size() || !same_letters(name.substr(name.size() - xml_suffix.size()), xml_suffix)) return std::nullopt;
    for (const auto& family : unserved_families)
        if (name.size() > family.prefix.size() && same_letters(name.substr(0, family.prefix.size()), family.prefix)) {
            const auto underscore = name.find('_');
            const auto code = name.substr(0, underscore == std::string_view::npos ? family.prefix.size() : underscore);
            return std::string(family.what) + " (" + std::string(code) + ")";
        }
    return std::nullopt;
}

std::string request_file_name_rule() { return joined({single_code, request_part, "<id>", xml_suffix}); }

bool is_partial_file_name(std::string_view name) {
    const auto ends = [&](std::string_view tail) { return name.size() >= tail.size() && same_letters(name.substr(name.size() - tail.size()), tail); };
    return name.empty() || name.front() == '.' || ends(".tmp") || ends(".part") || name.back() == '~';
}

std::string rejection_name_for(std::string_view unknown_name) {
    if (unknown_name.size() > xml_suffix.size() && same_letters(unknown_name.substr(unknown_name.size() - xml_suffix.size()), xml_suffix))
        unknown_name.remove_suffix(xml_suffix.size());
    return std::string(unknown_name) + std::string(rejection_suffix);
}

bool is_plain_id(std::string_view id) {
    return std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 127; });
}

std::string face_file_name(std::string_view institution_code, unsigned sequence, std::string_view yyyymmddhhmmss) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%06u", sequence % 1000000);
    return joined({single_code, face_part, institution_code, face_processing_code, digits, "_", yyyymmddhhmmss, xml_suffix});
}

}  // namespace mynasim::onshi
