#pragma once
// The server's error codes, read from data/error-codes.yaml (embedded at build time). Logic names an
// error by its key; the table supplies code, message, HTTP status and cause.
#include <string>
#include <string_view>
#include <vector>

namespace mynasim::onshi {

// Where an error goes in an XmlMsg answer (data/error-codes.yaml says it for each code).
enum class ErrorLevel {
    File,    // SegmentOfResult 9, ErrorCode/ErrorMessage in the MessageHeader
    Person,  // ProcessingResultStatus 2, ProcessingResultCode/ProcessingResultMessage in the MessageBody
    Notice,  // success, with ProcessingResultCode/ProcessingResultMessage for staff to see
};

struct ErrorEntry {
    std::string key;
    ErrorLevel level = ErrorLevel::File;
    std::string code;
    int http_status = 500;
    std::string message;
    std::string cause;
};

// The shipped default dataset's YAML text (simulator/onshi/data/default-dataset.yaml, embedded).
const std::string& default_dataset_text();

class ErrorTable {
public:
    static const ErrorTable& builtin();  // the shipped table
    static ErrorTable parse(const std::string& yaml_text, const std::string& name);  // throws yaml::LoadError
    // Throws std::out_of_range naming the key: a missing entry is a bug the unit tests catch.
    const ErrorEntry& at(std::string_view key) const;
    const std::vector<ErrorEntry>& entries() const { return entries_; }

private:
    std::vector<ErrorEntry> entries_;
};

}  // namespace mynasim::onshi
