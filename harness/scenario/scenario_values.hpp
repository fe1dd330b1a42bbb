#pragma once
// The values of a scenario's setup and steps, read with their {parameters} substituted first: a parameter
// may stand for any value, whatever its type, and the substituted text is typed and checked by the same
// rules as a value written out. At load (no case yet) a value holding a parameter is checked for the
// parameter's names only; each case reads it again with its own values. Errors are at the value as
// written and name what was substituted: "... found 'late' (from '{n}' with n=late)".
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/yaml_strict.hpp"

namespace mynasim::harness {

using Parameters = std::vector<std::pair<std::string, std::string>>;  // a case's values, in matrix order

class ScenarioValues {
public:
    // At load: the scenario's parameter names, no values.
    ScenarioValues(const yaml::Document& doc, std::vector<std::string> names);
    // For one case: its values (kept by reference).
    ScenarioValues(const yaml::Document& doc, const Parameters& parameters);

    const yaml::Document& doc() const { return doc_; }
    // False at load for a value that holds a parameter: it is typed and checked per case.
    bool known(const YAML::Node& node) const;

    std::string text(const YAML::Node& node, const std::string& what) const;
    std::vector<std::string> texts(const YAML::Node& node, const std::string& what) const;  // a list of texts
    std::int64_t integer(const YAML::Node& node, const std::string& what, std::int64_t min, std::int64_t max) const;
    bool boolean(const YAML::Node& node, const std::string& what) const;
    // A time as the mock server reads it ("2026-04-01", "2026-04-01T09:00:00Z", "+5y"; base/time.hpp), kept
    // as text for the server; empty: none.
    std::string time(const YAML::Node& node, const std::string& what) const;
    // Fails with `message` when `ok` is false for a known value (a name from a fixed list, …).
    void require(const YAML::Node& node, bool ok, const std::string& message) const;
    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;

private:
    std::string substitute(const YAML::Node& node, const std::string& text) const;
    template <class T, class Read>
    T typed(const YAML::Node& node, const std::string& what, T unknown, Read read) const;
    std::string origin(const YAML::Node& node) const;
    void reject_unquoted_parameter(const YAML::Node& node, const std::string& what) const;

    const yaml::Document& doc_;
    std::vector<std::string> names_;
    const Parameters* parameters_ = nullptr;  // null at load
};

}  // namespace mynasim::harness
