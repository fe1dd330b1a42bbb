#pragma once
// The one writer of XmlMsg files: the mock's answers (HTTP, Res, Face) and the reference reception's
// requests. Every element of the layout (xml_msg_fields.hpp) is written, in order; an absent value is an
// empty tag. The XML declaration names the encoding the bytes are in.
#include <string>

#include "onshi/wire/xml_msg.hpp"

namespace mynasim::onshi::xmlmsg {

enum class Encoding { Utf8, ShiftJis };

// Shift_JIS is CP932; a character it lacks is written as ● (as the terminal shows 外字).
std::string write_answer(const Answer& answer, Encoding encoding);
std::string write_request(const SingleRequest& request, Encoding encoding);

// Bulk files. A step-1 request holds its searches (the list family) or, when `range` is true, its one
// range search; a step-2 request its ReceptionNumber.
std::string write_bulk_request(const BulkRequest& request, bool range, Encoding encoding);
std::string write_bulk_result_request(const BulkResultRequest& request, Encoding encoding);
std::string write_bulk_acceptance(const BulkAnswer& answer, Encoding encoding);  // step 1's answer
std::string write_bulk_result(const BulkAnswer& answer, Encoding encoding);      // step 2's answer

// 照会番号 registration (OQSsiimm01req / res).
std::string write_reference_request(const ReferenceRequest& request, Encoding encoding);
std::string write_reference_answer(const ReferenceAnswer& answer, Encoding encoding);

// 薬剤情報 / 特定健診情報 files (YZKsiquc01 / TKKsiquc01): a request sends only the values it has (the body's
// period is for 薬剤情報); an answer writes every element of its layout.
std::string write_viewing_request(const ViewingRequest& request, Encoding encoding);
std::string write_viewing_answer(const ViewingAnswer& answer, bool medications, Encoding encoding);

// `<?xml version="1.0" encoding="…" standalone="no"?>` and a newline, for `encoding`.
std::string declaration(Encoding encoding);

}  // namespace mynasim::onshi::xmlmsg
