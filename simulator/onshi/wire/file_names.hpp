#pragma once
// File names of the file interface (連携アプリ style, docs/onshi-files.md): which requests a name asks
// for and what its answers are called. Pure functions; the watcher does the I/O.
#include <optional>
#include <string>
#include <string_view>

namespace mynasim::onshi {

enum class FileRequestKind { Single, Bulk };

struct FileRequestName {
    FileRequestKind kind = FileRequestKind::Single;
    std::string id;              // the <any> part, kept as the reception wrote it
    std::string answer_name;     // OQSsiquc01res_<id>.xml / OQSmuquc01res_<id>.xml
    std::string rejection_name;  // the same with .err
};

// `OQSsiquc01req_<id>.xml` (single) or `OQSmuquc01req_<id>.xml` (bulk); nullopt for anything else.
std::optional<FileRequestName> parse_request_file_name(std::string_view name);
// A file still being written by a careful writer (dot files, *.tmp, *.part, *~): not a request yet.
bool is_partial_file_name(std::string_view name);
// The `.err` for a file whose name is no request of the interface: `<name without .xml>.err`.
std::string rejection_name_for(std::string_view unknown_name);
// Face/OQSsiquc01res_face_<yyyymmddhhmmss>_<sequence, 6 digits>.xml
std::string face_file_name(std::string_view yyyymmddhhmmss, unsigned sequence);

}  // namespace mynasim::onshi
