#pragma once
// File names of the file interface (docs/file-interface.md, from ../shared/spec/oqs-files.md): its
// folders, which requests a name asks for and what their answers are called, for the mock (which reads
// requests and names answers) and the reception (which names requests and looks for answers) alike.
// Pure functions; callers do the I/O.
#include <optional>
#include <string>
#include <string_view>

namespace mynasim::onshi {

// The folders under the interface's root, as the terminal shares them (matched in any case: Windows).
inline constexpr char request_folder[] = "Req";
inline constexpr char answer_folder[] = "Res";
inline constexpr char face_folder[] = "Face";
inline constexpr char rejected_folder[] = "Rejected";  // the mock's own: unreadable requests, kept unchanged

struct FileRequestName {
    std::string id;              // the <any> part, kept as the reception wrote it
    std::string request_name;    // OQSsiquc01req_<id>.xml, as the reception spelled it
    std::string answer_name;     // OQSsiquc01res_<id>.xml
    std::string rejection_name;  // OQSsiquc01req_<id>.err: the answer to a file that cannot be read (MODELED)
};

// The names of a single request whose <any> part is `id` (non-empty), and of its answers.
FileRequestName single_request_name(std::string_view id);
// `OQSsiquc01req_<id>.xml`, its prefix and suffix in any case; nullopt for anything else.
std::optional<FileRequestName> parse_request_file_name(std::string_view name);
// A request of the real interface that this version of the mock does not serve (the bulk families,
// 照会番号, 薬剤情報, 特定健診情報: ../shared/spec/oqs-files.md), as what it is ("薬剤情報 (YZKsiquc01req)");
// nullopt for any other name.
std::optional<std::string> unserved_request_kind(std::string_view name);
// What a request's name must be: "OQSsiquc01req_<id>.xml".
std::string request_file_name_rule();
// A file still being written by a careful writer (dot files, *.tmp, *.part, *~): not a request yet.
bool is_partial_file_name(std::string_view name);
// The `.err` for a file whose name is no request of the interface: `<name without .xml>.err`.
std::string rejection_name_for(std::string_view unknown_name);
// Whether an <id> is printable ASCII without spaces (anything else works, but not with every tool).
bool is_plain_id(std::string_view id);
// Face/OQSsiquc01res_face_<institution code><processing code 001><sequence, 6 digits>_<yyyyMMddHHmmss>.xml:
// the time last, as vendors parse it (OQSsiquc01res_face_.+_(\d{14})\.xml); the middle part MODELED on
// the one generator the spec cites (institution code, a 3-digit processing code, a sequence).
std::string face_file_name(std::string_view institution_code, unsigned sequence, std::string_view yyyymmddhhmmss);

}  // namespace mynasim::onshi
