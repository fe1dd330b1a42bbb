#pragma once
// The reception system's side (レセコン) of the file interface (docs/file-interface.md): write an XmlMsg
// request into Req atomically and wait for its answer in Res (or the .err of an unreadable one); watch
// Face for the next patient confirmed at the reader, as vendors' code does. Outcomes use the same report
// shape and exit codes as the reference client.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "client/answer_report.hpp"
#include "client/reference_client.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/xml_msg.hpp"
#include "onshi/wire/xml_msg_writer.hpp"

namespace mynasim::client {

struct ReceptionSettings {
    std::filesystem::path folder;              // holds Req/, Res/, Face/ (in any case)
    std::chrono::milliseconds timeout{30000};  // for the answer (or the face file) to appear
    std::chrono::milliseconds poll_interval{50};
    bool shift_jis = false;                    // write the request in Shift_JIS (the answer comes back in it)
    std::string id;                            // the <id> of the file names (default: time and process id)
    std::string file_identifier;               // ArbitraryFileIdentifier
    std::string institution_code = onshi::xmlmsg::test_institution_code;  // MedicalInstitutionCode: the server's --institution
    // The encoding the XML declaration names, when it should lie about the bytes (a mistake vendors make,
    // for seeing what the terminal does with it); empty: the truth.
    std::string declared_encoding;
};

// A bulk job's step 1: a list of cards (the OQSmuquc family), or the range a date family searches by.
struct BulkSubmission {
    onshi::BulkFamily family = onshi::BulkFamily::List;
    std::vector<InsuranceCardFields> cards;
    std::vector<std::string> reference_numbers;  // the 照会番号 family (imm): one per card
    onshi::xmlmsg::RangeSearch range;  // the flag is filled in from the family when empty
    std::string date;                  // QualificationConfirmationDate; empty: the terminal's date
};

class Reception {
public:
    explicit Reception(ReceptionSettings settings);
    Outcome confirm_by_card(const InsuranceCardFields& card, const std::string& date = {});
    // Step 1: writes the list (or range), waits for its answer; the report holds its ReceptionNumber.
    Outcome submit_bulk(const BulkSubmission& submission);
    // Step 2 by a ReceptionNumber: writes …02req, waits for …02res (.xml, or .zip holding it). A "not ready"
    // answer (SegmentOfResult 2) ends in bulk_pending, or with `retry_every` is asked again (a new
    // request each time, as the terminal wants) until ready or the timeout.
    Outcome fetch_bulk(onshi::BulkFamily family, const std::string& reception_number, std::optional<std::chrono::milliseconds> retry_every);
    // 照会番号 registration (OQSsiimm01req): the card's holder gets `reference_number` at this institution.
    Outcome register_reference(const InsuranceCardFields& card, const std::string& reference_number);
    // 薬剤情報 (`medications`) or 特定健診情報 by the insurance card (YZKsiquc01req / TKKsiquc01req): the answer
    // holds what the patient's latest consent at the reader lets the clinic see.
    Outcome view_by_card(bool medications, const onshi::xmlmsg::ViewingRequest& request);
    // The ReceptionNumber in the step-1 answer of the request whose <id> was `id` (Res/…01res_<id>.xml: the
    // family's, else the first other family's).
    std::string reception_number_of(onshi::BulkFamily family, const std::string& id) const;
    // The next face file written after this call starts, or with `newest` the newest one already there
    // (if any); read again until two reads agree, as the terminal may still be writing it.
    Outcome next_face(bool newest = false);

private:
    using Clock = std::chrono::steady_clock;
    struct Arrived {
        std::string name, bytes;
        bool rejection = false;  // the .err of a request that could not be read
    };
    // Waits for the request's answer (its .err, .xml, or .zip); nullopt once `out` is finished (timeout).
    std::optional<Arrived> await_answer(const onshi::FileRequestName& names, Clock::time_point deadline, Outcome& out) const;
    // Writes the request (`text`) and waits for its answer until `deadline`, read into `doc` (`rejection`: it came
    // as the .err of an unreadable request); false once `out` is finished (no answer, or no XmlMsg).
    bool exchange(const onshi::FileRequestName& names, const std::string& text, Clock::time_point deadline, Outcome& out,
                  pugi::xml_document& doc, bool& rejection) const;
    onshi::xmlmsg::Encoding encoding() const {
        return settings_.shift_jis ? onshi::xmlmsg::Encoding::ShiftJis : onshi::xmlmsg::Encoding::Utf8;
    }
    // Writes a request atomically into Req (the declaration changed when settings_.declared_encoding says so).
    void write_request(const std::string& name, std::string text, onshi::xmlmsg::Encoding encoding, Outcome& out) const;

    ReceptionSettings settings_;
    std::filesystem::path requests_, answers_, faces_;
};

// "INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE" (SYMBOL may be empty); throws std::invalid_argument.
InsuranceCardFields parse_card_fields(const std::string& text);

}  // namespace mynasim::client
