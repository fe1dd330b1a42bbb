#pragma once
// The reception system's side (レセコン) of the file interface (docs/onshi-files.md): write a request into
// DIR/Req atomically, wait for DIR/Res (answer or .err) with a timeout, poll a bulk answer until it is
// final. Outcomes use the same report shape and exit codes as the reference client.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "client/answer_report.hpp"
#include "client/reference_client.hpp"
#include "onshi/wire/xml_writer.hpp"

namespace mynasim::client {

struct ReceptionSettings {
    std::filesystem::path folder;             // holds Req/ and Res/
    std::chrono::milliseconds timeout{30000};  // for the (final) answer to appear
    std::chrono::milliseconds poll_interval{50};
    bool shift_jis = false;                   // write the request in Shift_JIS, ask for a Shift_JIS answer
    std::string id;                           // the <id> of the file names (default: time and process id)
    std::string file_identifier;              // ArbitraryFileIdentifier
};

class Reception {
public:
    explicit Reception(ReceptionSettings settings);
    Outcome confirm_by_card(const InsuranceCardFields& card, const std::string& date = {});
    Outcome wait_for_reader(int wait_seconds);
    Outcome bulk(const std::vector<InsuranceCardFields>& cards, const std::string& date = {});

private:
    // A request (bulk or single) with the elements every request carries (identifier, charset).
    onshi::XmlWriter start_request(bool bulk) const;
    // Writes Req/OQS{si|mu}quc01req_<id>.xml and waits for its answer (or .err); empty when `out` says why not.
    pugi::xml_node submit(onshi::XmlWriter& request, bool bulk, pugi::xml_document& answer, Outcome& out) const;
    ReceptionSettings settings_;
};

// "INSURER,SYMBOL,NUMBER,BRANCH,BIRTHDATE" (SYMBOL may be empty); throws std::invalid_argument.
InsuranceCardFields parse_card_fields(const std::string& text);

}  // namespace mynasim::client
