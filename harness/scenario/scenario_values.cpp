#include "scenario_values.hpp"

#include <algorithm>

#include "base/time.hpp"

namespace mynasim::harness {

namespace {

bool holds_parameter(const YAML::Node& node) { return node.IsScalar() && node.Scalar().find('{') != std::string::npos; }

}  // namespace

ScenarioValues::ScenarioValues(const yaml::Document& doc, std::vector<std::string> names) : doc_(doc), names_(std::move(names)) {}

ScenarioValues::ScenarioValues(const yaml::Document& doc, const Parameters& parameters) : doc_(doc), parameters_(&parameters) {
    for (const auto& [name, value] : parameters) names_.push_back(name);
}

bool ScenarioValues::known(const YAML::Node& node) const { return parameters_ || !holds_parameter(node); }

std::string ScenarioValues::text(const YAML::Node& node, const std::string& what) const {
    reject_unquoted_parameter(node, what);
    return substitute(node, doc_.string_value(node, what));
}

std::vector<std::string> ScenarioValues::texts(const YAML::Node& node, const std::string& what) const {
    doc_.expect_sequence(node, what);
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(text(item, what + " item"));
    return out;
}

std::int64_t ScenarioValues::integer(const YAML::Node& node, const std::string& what, std::int64_t min, std::int64_t max) const {
    return typed(node, what, std::int64_t{0}, [&](const YAML::Node& n) { return doc_.int_value(n, what, min, max); });
}

bool ScenarioValues::boolean(const YAML::Node& node, const std::string& what) const {
    return typed(node, what, false, [&](const YAML::Node& n) { return doc_.bool_value(n, what); });
}

std::string ScenarioValues::time(const YAML::Node& node, const std::string& what) const {
    const std::string value = text(node, what);
    std::string error;
    const bool ok = value.empty() || resolve_time(value, default_reference_time, error);
    require(node, ok, what + ": " + error);
    return value;
}

void ScenarioValues::require(const YAML::Node& node, bool ok, const std::string& message) const {
    if (known(node) && !ok) fail(node, message);
}

void ScenarioValues::fail(const YAML::Node& node, const std::string& message) const {
    doc_.fail(node, message + (parameters_ && holds_parameter(node) ? origin(node) : ""));
}

// The text with every {name} replaced by the case's value (at load: the text as written, names checked).
std::string ScenarioValues::substitute(const YAML::Node& node, const std::string& text) const {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] != '{') {
            out += text[i++];
            continue;
        }
        const auto close = text.find('}', i);
        if (close == std::string::npos) doc_.fail(node, "unclosed '{' in '" + text + "'");
        const std::string name = text.substr(i + 1, close - i - 1);
        if (std::find(names_.begin(), names_.end(), name) == names_.end())
            doc_.fail(node, "'{" + name + "}' is no matrix parameter of this scenario");
        if (parameters_)
            out += std::find_if(parameters_->begin(), parameters_->end(), [&](const auto& p) { return p.first == name; })->second;
        i = close + 1;
    }
    return parameters_ ? out : text;
}

// A value written out is typed as it is. One holding a parameter is typed once substituted, by the same
// reader on a scalar of the substituted text, so both get the same rules and messages (at load: not at
// all, `unknown` stands for it).
template <class T, class Read>
T ScenarioValues::typed(const YAML::Node& node, const std::string& what, T unknown, Read read) const {
    reject_unquoted_parameter(node, what);
    if (!holds_parameter(node)) return read(node);
    const std::string value = substitute(node, node.Scalar());
    if (!parameters_) return unknown;
    try {
        return read(YAML::Node(value));
    } catch (const yaml::LoadError& e) {
        fail(node, e.message());  // the substituted scalar has no place in the file: report the one written
    }
}

// " (from '{n}' with n=3)"
std::string ScenarioValues::origin(const YAML::Node& node) const {
    std::string used;
    for (const auto& [name, value] : *parameters_)
        if (node.Scalar().find("{" + name + "}") != std::string::npos) used += (used.empty() ? "" : ", ") + name + "=" + value;
    return " (from '" + node.Scalar() + "' with " + used + ")";
}

// YAML reads an unquoted {n} as the mapping {n: null}: say so rather than "found a mapping".
void ScenarioValues::reject_unquoted_parameter(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap() || node.size() != 1) return;
    const auto item = *node.begin();
    if (!item.second.IsNull() || std::find(names_.begin(), names_.end(), item.first.Scalar()) == names_.end()) return;
    const std::string name = item.first.Scalar();
    doc_.fail(node, what + " is the mapping {" + name + ": null} to YAML; write a parameter in quotes: \"{" + name + "}\"");
}

}  // namespace mynasim::harness
