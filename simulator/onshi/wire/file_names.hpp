#pragma once
// File names of the file interface (docs/file-interface.md, from ../shared/spec/oqs-files.md): its
// folders, which requests a name asks for and what their answers are called, for the mock (which reads
// requests and names answers) and the reception (which names requests and looks for answers) alike.
// Pure functions; callers do the I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mynasim::onshi {

// The folders under the interface's root, as the terminal shares them (matched in any case: Windows).
inline constexpr char request_folder[] = "Req";
inline constexpr char answer_folder[] = "Res";
inline constexpr char face_folder[] = "Face";
inline constexpr char rejected_folder[] = "Rejected";  // the mock's own: unreadable requests, kept unchanged
inline constexpr char bulk_jobs_folder[] = "BulkJobs";  // the mock's own: accepted bulk jobs (bulk_job_book.hpp)

// What a served request asks: one person's 資格確認, a bulk list (step 1: accepted, a ReceptionNumber back),
// a bulk result (step 2: by that number), or one person's 薬剤情報 / 特定健診情報 (viewing, on the consent given
// at the reader).
enum class RequestKind { Single, BulkSubmission, BulkResult, Viewing, ReferenceRegistration };
enum class ViewingKind { Medications, Checkups };  // YZKsiquc01 薬剤情報, TKKsiquc01 特定健診情報

// A bulk family: its code (OQSmuquc…) and what it is. The five of ../shared/spec/oqs-files.md, all in two
// steps: 資格確認 by a list of cards, 訪問診療 by consent dates, オンライン診療 by examination or consent
// dates, 医療扶助 by treatment month, and 照会番号 registration by a list.
enum class BulkFamily { List, HomeVisit, Online, MedicalAid, ReferenceNumbers };
std::string_view bulk_family_code(BulkFamily family);   // "OQSmuquc"
std::string_view bulk_family_title(BulkFamily family);  // "資格確認 (一括)"
std::optional<BulkFamily> bulk_family_named(std::string_view code_or_short);  // "OQSmuquc" or "quc"
const std::vector<BulkFamily>& every_bulk_family();  // in the table's order

struct FileRequestName {
    RequestKind kind = RequestKind::Single;
    BulkFamily family = BulkFamily::List;  // bulk kinds only
    std::string id;              // the <any> part, kept as the reception wrote it
    std::string request_name;    // OQSsiquc01req_<id>.xml, as the reception spelled it
    std::string answer_name;     // OQSsiquc01res_<id>.xml
    std::string rejection_name;  // OQSsiquc01req_<id>.err: the answer to a file that cannot be read (MODELED)
    std::string zip_answer_name;  // a bulk result's answer as a ZIP: OQSmuquc02res_<id>.zip (empty otherwise)
    ViewingKind viewing = ViewingKind::Medications;  // the viewing kind only
};

// The names of a single request whose <any> part is `id` (non-empty), and of its answers.
FileRequestName single_request_name(std::string_view id);
// The names of a bulk family's step-1 (`kind` BulkSubmission) or step-2 (BulkResult) request.
FileRequestName bulk_request_name(BulkFamily family, RequestKind kind, std::string_view id);
// The names of a single 照会番号 registration (OQSsiimm01req_<id>.xml) and of its answers.
FileRequestName reference_request_name(std::string_view id);
// The names of a viewing request (YZKsiquc01req_<id>.xml, TKKsiquc01req_<id>.xml) and of its answers.
FileRequestName viewing_request_name(ViewingKind kind, std::string_view id);
// A served request's name (`OQSsiquc01req_<id>.xml`, `OQSmuquc01req_<id>.xml`, `OQSmuquc02req_<id>.xml`, …),
// its prefix and suffix in any case; nullopt for anything else.
std::optional<FileRequestName> parse_request_file_name(std::string_view name);
// What a request's name must be: "OQSsiquc01req_<id>.xml" or a bulk family's.
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
