#pragma once
// The server's error codes, read from data/error-codes.yaml (embedded at build time). Logic names an
// error by its key; the table supplies code, message, HTTP status and cause.
#include <string>
#include <string_view>
#include <vector>

namespace mynasim::onshi {

struct ErrorEntry {
    std::string key;
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
