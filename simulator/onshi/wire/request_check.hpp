#pragma once
// The strict check of what a reception system writes into Req: every rule of the file interface's
// request (docs/file-interface.md, "Checks of a request"), each finding naming where (an element path
// such as /XmlMsg/MessageBody/QualificationConfirmSearchInfo/InsurerNumber, or a line:col) and the rule it
// breaks. Errors are what the real terminal would refuse; warnings pass but are not as the spec says.
// Pure: bytes in, findings and the request as read out; the folder adapter does the I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/codes/code_tables.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/xml_msg.hpp"
#include "onshi/wire/xml_msg_writer.hpp"

namespace mynasim::onshi {

enum class Severity { Error, Warning };
// Unreadable: not a well-formed XML document in a supported encoding (answered by a .err file);
// Invalid: an XmlMsg that cannot be processed (answered with SegmentOfResult 9); Notice: a warning.
enum class FindingLevel { Unreadable, Invalid, Notice };

struct RequestRule {
    std::string_view id;          // e.g. "insurer-number"
    FindingLevel level;
    std::string_view error_key;   // the error table's key the answer carries (errors only)
    std::string_view summary;     // what the rule asks, for the docs and `mynasim reception check`
};
// Every rule, in the order the docs list them.
const std::vector<RequestRule>& request_rules();
const RequestRule& request_rule(std::string_view id);  // throws std::out_of_range

struct Finding {
    std::string rule;  // a request_rules() id
    Severity severity = Severity::Error;
    std::string where;    // an element path, or "line L, column C", or "file"
    std::string message;  // what is wrong, with the value found
};

// A finding of `rule_id`, its severity from the rule's level (throws std::out_of_range for an unknown rule).
Finding make_finding(std::string_view rule_id, std::string where, std::string message);

struct CheckSettings {
    std::string institution_code;  // the mock's 医療機関コード: a request for another is an error
    const CodeTables* codes = &CodeTables::builtin();
    std::string utf8_code = "0", shift_jis_code = "1";  // CharacterCodeIdentifier's pair (a setting: 0/1 or 1/2)
    std::size_t max_bytes = 1024 * 1024;
    std::size_t max_bulk_bytes = 16 * 1024 * 1024;  // a bulk list of 10,000 searches is about 4 MB
    std::size_t max_bulk_searches = 10000;          // the spec's limit of one bulk list
    std::size_t max_depth = 16;
};

struct CheckedRequest {
    std::vector<Finding> findings;              // in file order, as found
    // The values as written, once the envelope could be read: one of these three, by the kind checked.
    std::optional<xmlmsg::SingleRequest> request;
    std::optional<xmlmsg::BulkRequest> bulk;
    std::optional<xmlmsg::BulkResultRequest> bulk_result;
    std::optional<xmlmsg::ViewingRequest> viewing;
    std::optional<xmlmsg::ReferenceRequest> reference;
    xmlmsg::Encoding encoding = xmlmsg::Encoding::Utf8;  // what the bytes are in (answers go back in it)
    bool unreadable() const;  // an Unreadable error: answered by a .err
    bool valid() const;       // no error at all
    const Finding* first_error() const;
    const xmlmsg::RequestHeader* header() const;  // of whichever request was read; null before the envelope
};

// Checks a request of `kind` (and, for bulk kinds, `family`): the name decides what the file must be.
CheckedRequest check_request(std::string_view bytes, const CheckSettings& settings, RequestKind kind, BulkFamily family = BulkFamily::List,
                             ViewingKind viewing = ViewingKind::Medications);
CheckedRequest check_single_request(std::string_view bytes, const CheckSettings& settings);

// "error insurer-number at /XmlMsg/…/InsurerNumber: …" (one line per finding).
std::string describe(const Finding& finding);

}  // namespace mynasim::onshi
