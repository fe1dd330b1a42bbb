#pragma once
// What a client makes of an answer of the mock (HTTP or file interface): the outcome of an action (exit
// code, JSON report, human-readable lines). An XmlMsg answer goes into the report as `XmlMsg`, with its
// element names and nesting, and its headline values at the top (docs/client.md).
#include <optional>
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

// An element as JSON: a value as its text, a parent as an object of its children; the list elements of
// XmlMsg (ResultList, SpecificDiseasesCertificateList, PublicExpenseResultList) as arrays of one-key objects.
nlohmann::json xml_json(pugi::xml_node element);

// The error an XmlMsg answer reports, at either level.
struct AnswerError {
    std::string level;  // "file" (SegmentOfResult 9, in the header) or "person" (ProcessingResultStatus 2, in the body)
    std::string code, message;
};

// Puts an XmlMsg answer into the outcome: report["XmlMsg"]; at the top SegmentOfResult,
// ProcessingResultStatus, ProcessingResultCode/Message, QualificationValidity, QualificationConfirmationDate,
// error_code and error_level, `qualifications` (each ResultOfQualificationConfirmation's values) and the
// first one's values; lines for people. Returns the error, if the answer says one.
std::optional<AnswerError> report_xml_msg(pugi::xml_node xml_msg, Outcome& out);

// The exit code an error answer ends an action with (exit_codes.hpp) and its result name.
int exit_code_for(const AnswerError& error);
const char* result_name(int exit_code);

}  // namespace mynasim::client
