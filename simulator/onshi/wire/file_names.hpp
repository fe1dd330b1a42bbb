#pragma once
// File names of the file interface (連携アプリ style, docs/onshi-files.md): its folders, which requests a
// name asks for and what their answers are called, for the mock (which reads requests and names answers)
// and the reception (which names requests and looks for answers) alike. Pure functions; callers do the I/O.
#include <optional>
#include <string>
#include <string_view>

namespace mynasim::onshi {

// The folders under the interface's root.
inline constexpr char request_folder[] = "Req";
inline constexpr char answer_folder[] = "Res";
inline constexpr char face_folder[] = "Face";
inline constexpr char rejected_folder[] = "Rejected";  // the mock's own: rejected requests, kept unchanged

enum class FileRequestKind { Single, Bulk };

struct FileRequestName {
    FileRequestKind kind = FileRequestKind::Single;
    std::string id;              // the <any> part, kept as the reception wrote it
    std::string request_name;    // OQSsiquc01req_<id>.xml / OQSmuquc01req_<id>.xml
    std::string answer_name;     // OQSsiquc01res_<id>.xml / OQSmuquc01res_<id>.xml
    std::string rejection_name;  // the answer's name with .err
};

// The names of a request of `kind` whose <any> part is `id` (non-empty), and of its answers.
FileRequestName file_request_name(FileRequestKind kind, std::string_view id);
// `OQSsiquc01req_<id>.xml` (single) or `OQSmuquc01req_<id>.xml` (bulk); nullopt for anything else.
std::optional<FileRequestName> parse_request_file_name(std::string_view name);
// What a request's name must be, for the rejection of a file that is no request:
// "OQSsiquc01req_<id>.xml (single) or OQSmuquc01req_<id>.xml (bulk)".
std::string request_file_name_rule();
// A file still being written by a careful writer (dot files, *.tmp, *.part, *~): not a request yet.
bool is_partial_file_name(std::string_view name);
// The `.err` for a file whose name is no request of the interface: `<name without .xml>.err`.
std::string rejection_name_for(std::string_view unknown_name);
// Face/OQSsiquc01res_face_<yyyymmddhhmmss>_<sequence, 6 digits>.xml
std::string face_file_name(std::string_view yyyymmddhhmmss, unsigned sequence);

}  // namespace mynasim::onshi
