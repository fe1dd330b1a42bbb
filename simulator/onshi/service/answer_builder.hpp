#pragma once
// Builds the XmlMsg answers of the service (xml_msg.hpp) from the store's records: the header every answer
// carries, an error at its level (the error table says which), and a qualification as the answer lists it.
// Times on the wire are Japan's (UTC+9, no daylight saving): the terminal's clock is in Japan.
#include <string>

#include "base/time.hpp"
#include "onshi/service/error_table.hpp"
#include "onshi/store/dataset.hpp"
#include "onshi/wire/xml_msg.hpp"

namespace mynasim::onshi {

inline constexpr UnixTime japan_offset_seconds = 9 * 3600;
std::string japan_compact_time(UnixTime utc);  // YYYYMMDDHHmmss, Japan time
std::string japan_date(UnixTime utc);          // YYYYMMDD, Japan time

// ReferenceClassification: how the person was found.
enum class LookedUpBy { Card, InsuranceCardNumbers };

// The MessageHeader of an answer: processed at `now`, for `date`, SegmentOfResult 1 until an error says otherwise.
xmlmsg::AnswerHeader answer_header(UnixTime now, const std::string& date, const std::string& institution_code,
                                   const std::string& file_identifier, LookedUpBy by, const std::string& charset_code);

// Puts `entry` where its level says: File → SegmentOfResult 9 and the header's ErrorCode/ErrorMessage (the
// body emptied); Person → ProcessingResultStatus 2 with the body's code and message; Notice → the body's
// code and message, the status left as it is.
void apply_error(xmlmsg::Answer& answer, const ErrorEntry& entry);
// `entry` at the file level whatever its own level: for a file that could not be processed.
void apply_file_error(xmlmsg::Answer& answer, const ErrorEntry& entry);
// The header's part of it (SegmentOfResult 9, ErrorCode, ErrorMessage), for every answer shape (bulk, viewing, 照会番号).
void apply_file_error(xmlmsg::AnswerHeader& header, const ErrorEntry& entry);

// One qualification of `person` as ResultOfQualificationConfirmation lists it, into `out` (in place: the
// record is large and built on every confirmation). The second form moves the values instead of copying
// them, for a caller done with them (most of an answer's strings are too long to be copied for free).
void fill_qualification(xmlmsg::Qualification& out, const Person& person, const Qualification& q);
void fill_qualification(xmlmsg::Qualification& out, Person&& person, Qualification&& q);

}  // namespace mynasim::onshi
