#pragma once
// The reception system's side (レセコン) of the file interface (docs/file-interface.md): write an XmlMsg
// request into Req atomically and wait for its answer in Res (or the .err of an unreadable one); watch
// Face for the next patient confirmed at the reader, as vendors' code does. Outcomes use the same report
// shape and exit codes as the reference client.
#include <chrono>
#include <filesystem>
#include <string>

#include "client/answer_report.hpp"
#include "client/reference_client.hpp"
#include "onshi/wire/xml_msg.hpp"

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

class Reception {
public:
    explicit Reception(ReceptionSettings settings);
    Outcome confirm_by_card(const InsuranceCardFields& card, const std::string& date = {});
    // The next face file written after this call starts, or with `newest` the newest one already there
    // (if any); read again until two reads agree, as the terminal may still be writing it.
    Outcome next_face(bool newest = false);

private:
    ReceptionSettings settings_;
    std::filesystem::path requests_, answers_, faces_;
};

// "INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE" (SYMBOL may be empty); throws std::invalid_argument.
InsuranceCardFields parse_card_fields(const std::string& text);

}  // namespace mynasim::client
