#pragma once
// A bulk job of the file interface (docs/file-interface.md, "Bulk confirmation"): what step 1 accepted,
// kept until step 2 asks for it by its ReceptionNumber. Data only: the folder adapter keeps the book
// (bulk_job_book.hpp), the service answers from it.
#include <string>

#include "base/time.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/xml_msg.hpp"

namespace mynasim::onshi {

struct BulkJob {
    std::string reception_number;     // ReceptionNumber, as step 1 answered it
    BulkFamily family = BulkFamily::List;
    std::string request_name;         // Req/<name> of step 1, and the SHA-256 of its bytes: a step 1
    std::string request_sha256;       // answered again after a crash gets the same number
    UnixTime accepted_at = 0;         // ReceptionDateTime, on the server's clock
    UnixTime ready_at = 0;            // step 2 answers SegmentOfResult 2 before this
    std::string confirmation_date;    // the date confirmed for (the request's QualificationConfirmationDate, or the day accepted)
    bool shift_jis = false;           // the encoding step 1 was in
    xmlmsg::BulkRequest request;      // the searches (list) or the range, as written
};

}  // namespace mynasim::onshi
