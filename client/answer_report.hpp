#pragma once
// What a client makes of an answer of the mock server (HTTP or file interface): the outcome of an action
// (exit code, JSON report with the spec's element names, human-readable lines) and the qualifications.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace mynasim::client {

struct Outcome {
    int exit_code = 0;
    nlohmann::json report = nlohmann::json::object();
    std::vector<std::string> lines;  // human-readable
};

// The qualification elements of a QualificationConfirmationResponse into the report (ConfirmationId,
// ConfirmationDate, QualificationValidity, `qualifications`, the first one's fields at the top) and lines.
void report_qualifications(pugi::xml_node answer_root, Outcome& out);
// A qualification answer as JSON only (for lists, e.g. the items of a bulk answer).
nlohmann::json qualification_json(pugi::xml_node answer_root);

}  // namespace mynasim::client
