#include "file_names.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace mynasim::onshi {

namespace {

constexpr std::string_view single_code = "OQSsiquc01";
constexpr std::string_view submission_step = "01", result_step = "02";
constexpr std::string_view zip_suffix = ".zip";
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

constexpr std::string_view medications_code = "YZKsiquc01", checkups_code = "TKKsiquc01", reference_code = "OQSsiimm01";

struct BulkFamilyNames {
    BulkFamily family;
    std::string_view code, short_name, title;
};
constexpr BulkFamilyNames bulk_families[] = {
    {BulkFamily::List, "OQSmuquc", "quc", "資格確認 (一括)"},
    {BulkFamily::HomeVisit, "OQSmuhvq", "hvq", "訪問診療の資格確認 (一括)"},
    {BulkFamily::Online, "OQSmuonq", "onq", "オンライン診療の資格確認 (一括)"},
    {BulkFamily::MedicalAid, "OQSmutic", "tic", "医療扶助の資格確認 (一括)"},
    {BulkFamily::ReferenceNumbers, "OQSmuimm", "imm", "照会番号登録 (一括)"},
};
const BulkFamilyNames& names_of(BulkFamily family) {
    for (const auto& names : bulk_families)
        if (names.family == family) return names;
    return bulk_families[0];
}

std::string joined(std::initializer_list<std::string_view> parts) {
    std::string text;
    for (const auto part : parts) text.append(part);
    return text;
}

}  // namespace

FileRequestName single_request_name(std::string_view id) {
    return FileRequestName{RequestKind::Single,
                           BulkFamily::List,
                           std::string(id),
                           joined({single_code, request_part, id, xml_suffix}),
                           joined({single_code, answer_part, id, xml_suffix}),
                           joined({single_code, request_part, id, rejection_suffix}),
                           ""};
}

std::string_view bulk_family_code(BulkFamily family) { return names_of(family).code; }
std::string_view bulk_family_title(BulkFamily family) { return names_of(family).title; }
const std::vector<BulkFamily>& every_bulk_family() {
    static const std::vector<BulkFamily> families = [] {
        std::vector<BulkFamily> all;
        for (const auto& names : bulk_families) all.push_back(names.family);
        return all;
    }();
    return families;
}

std::optional<BulkFamily> bulk_family_named(std::string_view code_or_short) {
    for (const auto& names : bulk_families)
        if (same_letters(code_or_short, names.code) || same_letters(code_or_short, names.short_name)) return names.family;
    return std::nullopt;
}

FileRequestName reference_request_name(std::string_view id) {
    return FileRequestName{RequestKind::ReferenceRegistration, BulkFamily::List, std::string(id), joined({reference_code, request_part, id, xml_suffix}),
                           joined({reference_code, answer_part, id, xml_suffix}), joined({reference_code, request_part, id, rejection_suffix}), ""};
}

FileRequestName viewing_request_name(ViewingKind kind, std::string_view id) {
    const auto code = kind == ViewingKind::Medications ? medications_code : checkups_code;
    FileRequestName names{RequestKind::Viewing, BulkFamily::List, std::string(id), joined({code, request_part, id, xml_suffix}),
                          joined({code, answer_part, id, xml_suffix}), joined({code, request_part, id, rejection_suffix}), ""};
    names.viewing = kind;
    return names;
}

FileRequestName bulk_request_name(BulkFamily family, RequestKind kind, std::string_view id) {
    const auto code = names_of(family).code;
    const auto step = kind == RequestKind::BulkResult ? result_step : submission_step;
    FileRequestName names{kind, family, std::string(id), joined({code, step, request_part, id, xml_suffix}),
                          joined({code, step, answer_part, id, xml_suffix}), joined({code, step, request_part, id, rejection_suffix}), ""};
    if (kind == RequestKind::BulkResult) names.zip_answer_name = joined({code, step, answer_part, id, zip_suffix});
    return names;
}

std::optional<FileRequestName> parse_request_file_name(std::string_view name) {
    // Every served name is a 10-character code (8 letters and the step), "req_", the <id> and ".xml".
    const std::size_t prefix = single_code.size() + request_part.size();
    if (name.size() <= prefix + xml_suffix.size()) return std::nullopt;
    if (!same_letters(name.substr(single_code.size(), request_part.size()), request_part) ||
        !same_letters(name.substr(name.size() - xml_suffix.size()), xml_suffix))
        return std::nullopt;
    const auto code = name.substr(0, single_code.size());
    const auto id = name.substr(prefix, name.size() - prefix - xml_suffix.size());
    std::optional<FileRequestName> found;
    if (same_letters(code, single_code)) found = single_request_name(id);
    if (same_letters(code, reference_code)) found = reference_request_name(id);
    if (same_letters(code, medications_code)) found = viewing_request_name(ViewingKind::Medications, id);
    if (same_letters(code, checkups_code)) found = viewing_request_name(ViewingKind::Checkups, id);
    for (const auto& family : bulk_families)
        for (const auto kind : {RequestKind::BulkSubmission, RequestKind::BulkResult}) {
            const auto step = kind == RequestKind::BulkResult ? result_step : submission_step;
            if (same_letters(code, joined({family.code, step}))) found = bulk_request_name(family.family, kind, id);
        }
    if (!found) return std::nullopt;
    auto names = std::move(*found);
    names.request_name = std::string(name);
    // The .err answers the request by its own name (as written: a reception looks for what it wrote).
    names.rejection_name = std::string(name.substr(0, name.size() - xml_suffix.size())) + std::string(rejection_suffix);
    return names;
}

std::string request_file_name_rule() {
    std::string families;
    for (const auto& family : bulk_families) families += std::string(families.empty() ? "" : "|") + std::string(family.code);
    return joined({single_code, request_part, "<id>", xml_suffix, ", (", families, ")(01|02)", request_part, "<id>", xml_suffix, ", ",
                   reference_code, request_part, "<id>", xml_suffix, ", ", medications_code, request_part, "<id>", xml_suffix, " or ",
                   checkups_code, request_part, "<id>", xml_suffix});
}

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
