#include "scenario_loader.hpp"

#include <algorithm>
#include <memory>
#include <regex>

#include "crypto/digest.hpp"
#include "scenario/scenario_steps.hpp"

namespace mynasim::harness {

namespace fs = std::filesystem;
using yaml::Document;

namespace {

constexpr int format_version = 1;

std::vector<std::string> strings(const Document& doc, const YAML::Node& node, const std::string& what) {
    doc.expect_sequence(node, what);
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(doc.string_value(item, what + " item"));
    return out;
}

bool is_identifier(const std::string& text) {
    static const std::regex pattern("[A-Za-z0-9][A-Za-z0-9_.-]*");
    return std::regex_match(text, pattern);
}

std::vector<std::string> parameter_names(const Scenario& s) {
    std::vector<std::string> names;
    for (const auto& [name, values] : s.matrix) names.push_back(name);
    if (!s.rows.empty())
        for (const auto& [name, value] : s.rows.front()) names.push_back(name);
    return names;
}

// The matrix: rows (one case each, every row naming the same parameters) or parameters with lists of values
// (every combination).
void load_matrix(const Document& doc, const YAML::Node& matrix, Scenario& s) {
    if (matrix.IsSequence()) {
        for (std::size_t i = 0; i < matrix.size(); ++i) {
            const auto& row = matrix[i];
            doc.expect_map(row, "matrix row " + std::to_string(i + 1));
            std::vector<std::pair<std::string, std::string>> values;
            for (const auto& item : row) {
                const std::string name = doc.string_value(item.first, "matrix parameter");
                if (!is_identifier(name)) doc.fail(item.first, "matrix parameter names are identifiers, found '" + name + "'");
                values.emplace_back(name, doc.string_value(item.second, "matrix row " + std::to_string(i + 1) + "." + name));
            }
            if (!s.rows.empty()) {
                auto names = [](const auto& r) {
                    std::vector<std::string> out;
                    for (const auto& [k, v] : r) out.push_back(k);
                    std::sort(out.begin(), out.end());
                    return out;
                };
                if (names(values) != names(s.rows.front()))
                    doc.fail(row, "every matrix row names the same parameters as the first row");
            }
            s.rows.push_back(std::move(values));
        }
        if (s.rows.empty()) doc.fail(matrix, "matrix has no rows");
    } else {
        doc.expect_map(matrix, "matrix (parameters with lists of values, or a list of rows)");
        for (const auto& item : matrix) {
            const std::string name = doc.string_value(item.first, "matrix parameter");
            if (!is_identifier(name)) doc.fail(item.first, "matrix parameter names are identifiers, found '" + name + "'");
            auto values = strings(doc, item.second, "matrix." + name);
            if (values.empty()) doc.fail(item.second, "matrix." + name + " needs at least one value");
            s.matrix.emplace_back(name, std::move(values));
        }
    }
}

Scenario load(const Document& doc, const std::string& bytes, const ScenarioContext& context) {
    const auto& root = doc.root();
    doc.expect_map(root, "the scenario");
    doc.check_keys(root, {"scenario", "id", "title", "requirements", "tags", "clients", "matrix", "setup", "steps"}, "the scenario");
    Scenario s;
    s.file = doc.file();
    s.sha256 = crypto::sha256_hex(bytes);
    if (!root["scenario"]) doc.fail(root, "missing 'scenario: 1' (the format version)");
    if (doc.int_value(root["scenario"], "scenario (format version)", 1, 1000) != format_version)
        doc.fail(root["scenario"], "this mynasim reads scenario format 1");
    if (!root["id"]) doc.fail(root, "missing 'id'");
    s.id = doc.string_value(root["id"], "id");
    if (!is_identifier(s.id)) doc.fail(root["id"], "id may hold letters, digits, '_', '.', '-' only, found '" + s.id + "'");
    if (!root["title"]) doc.fail(root, "missing 'title'");
    s.title = doc.string_value(root["title"], "title");
    if (!root["requirements"]) doc.fail(root, "missing 'requirements' (the ids of scenarios/requirements.txt it checks)");
    s.requirements = strings(doc, root["requirements"], "requirements");
    if (s.requirements.empty()) doc.fail(root["requirements"], "a scenario checks at least one requirement");
    for (std::size_t i = 0; i < s.requirements.size(); ++i) {
        const auto& id = s.requirements[i];
        if (std::none_of(context.requirements.begin(), context.requirements.end(), [&](const Requirement& r) { return r.id == id; }))
            doc.fail(root["requirements"][i], "unknown requirement '" + id + "' (see scenarios/requirements.txt)");
    }
    if (root["tags"]) s.tags = strings(doc, root["tags"], "tags");
    if (const auto clients = root["clients"]) {
        // Card-level scenarios are written for one kind of client (e.g. OpenSC's tools), whatever --client says.
        s.clients = strings(doc, clients, "clients");
        s.clients_where = doc.at(clients);
        for (std::size_t i = 0; i < s.clients.size(); ++i)
            if (s.clients[i] != "reference" && s.clients[i] != "opensc")
                doc.fail(clients[i], "unknown client '" + s.clients[i] + "' (built-in clients: reference, opensc)");
    }
    if (const auto matrix = root["matrix"]) load_matrix(doc, matrix, s);
    // setup and steps are read again for each case, with its parameters; here they are checked as written.
    s.document = std::make_shared<const Document>(doc);
    const ScenarioValues as_written(doc, parameter_names(s));
    load_setup(as_written, root);
    load_steps(as_written, root);
    return s;
}

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& name, const ScenarioContext& context) {
    return load(Document::from_text(text, name), text, context);
}

Scenario load_scenario(const fs::path& file, const ScenarioContext& context) {
    return load_scenario_text(yaml::read_source_file(file.string()), file.string(), context);
}

std::vector<Scenario> load_scenarios(const std::vector<fs::path>& paths, const ScenarioContext& context) {
    std::vector<fs::path> files;
    for (const auto& path : paths) {
        if (fs::is_directory(path)) {
            std::vector<fs::path> found;
            // data/ folders hold a scenario's datasets, not scenarios.
            for (auto it = fs::recursive_directory_iterator(path); it != fs::recursive_directory_iterator(); ++it) {
                if (it->is_directory() && it->path().filename() == "data") {
                    it.disable_recursion_pending();
                    continue;
                }
                if (it->is_regular_file() && it->path().extension() == ".yaml") found.push_back(it->path());
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::exists(path)) {
            files.push_back(path);
        } else {
            throw yaml::LoadError(yaml::SourceLocation{path.string(), 1, 1}, "no such scenario file or folder");
        }
    }
    std::vector<Scenario> out;
    for (const auto& file : files) out.push_back(load_scenario(file, context));
    return out;
}

}  // namespace mynasim::harness
