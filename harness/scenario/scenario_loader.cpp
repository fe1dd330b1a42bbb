#include "scenario_loader.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "crypto/digest.hpp"

namespace mynasim::harness {

namespace fs = std::filesystem;
using yaml::Document;

namespace {

constexpr int format_version = 1;
using Parameters = std::vector<std::pair<std::string, std::string>>;

bool holds_parameter(const YAML::Node& node) { return node.IsScalar() && node.Scalar().find('{') != std::string::npos; }

// Reads the values of a scenario's setup and steps with their {parameters} substituted first, so that a
// parameter may stand for any value, whatever its type: the substituted text is typed and checked by the
// same rules as a value written out. At load (no case yet) a value holding a parameter is checked for the
// parameter's name only; each case checks it again with its own value.
class Values {
public:
    Values(const Document& doc, std::vector<std::string> names) : doc_(doc), names_(std::move(names)) {}
    Values(const Document& doc, const Parameters& parameters) : doc_(doc), parameters_(&parameters) {
        for (const auto& [name, value] : parameters) names_.push_back(name);
    }

    const Document& doc() const { return doc_; }
    // False at load for a value that holds a parameter: it is typed and checked per case.
    bool known(const YAML::Node& node) const { return parameters_ || !holds_parameter(node); }

    std::string text(const YAML::Node& node, const std::string& what) const {
        reject_unquoted_parameter(node, what);
        return substitute(node, doc_.string_value(node, what));
    }
    std::vector<std::string> texts(const YAML::Node& node, const std::string& what) const {
        doc_.expect_sequence(node, what);
        std::vector<std::string> out;
        for (const auto& item : node) out.push_back(text(item, what + " item"));
        return out;
    }
    std::int64_t integer(const YAML::Node& node, const std::string& what, std::int64_t min, std::int64_t max) const {
        return typed(node, what, std::int64_t{0}, [&](const YAML::Node& n) { return doc_.int_value(n, what, min, max); });
    }
    bool boolean(const YAML::Node& node, const std::string& what) const {
        return typed(node, what, false, [&](const YAML::Node& n) { return doc_.bool_value(n, what); });
    }
    // Fails when `ok` is false for a known value.
    void require(const YAML::Node& node, bool ok, const std::string& message) const {
        if (known(node) && !ok) fail(node, message);
    }
    // At the value as written; a substituted value says what it was made of.
    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
        doc_.fail(node, message + (parameters_ && holds_parameter(node) ? origin(node) : ""));
    }

private:
    // The text as written with every {name} replaced by the case's value (at load: the text as written).
    std::string substitute(const YAML::Node& node, const std::string& text) const {
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

    // A value written out is typed as it is; one holding a parameter is typed after substitution (at load:
    // not at all, `unknown` stands for it).
    template <class T, class Read>
    T typed(const YAML::Node& node, const std::string& what, T unknown, Read read) const {
        reject_unquoted_parameter(node, what);
        if (!holds_parameter(node)) return read(node);
        const std::string value = substitute(node, node.Scalar());
        if (!parameters_) return unknown;
        try {
            return read(YAML::Node(value));
        } catch (const yaml::LoadError& e) {
            fail(node, e.message());
        }
    }

    // " (from '{n}' with n=3)"
    std::string origin(const YAML::Node& node) const {
        std::string used;
        for (const auto& [name, value] : *parameters_)
            if (node.Scalar().find("{" + name + "}") != std::string::npos) used += (used.empty() ? "" : ", ") + name + "=" + value;
        return " (from '" + node.Scalar() + "' with " + used + ")";
    }

    // YAML reads an unquoted {n} as the mapping {n: null}.
    void reject_unquoted_parameter(const YAML::Node& node, const std::string& what) const {
        if (!node.IsMap() || node.size() != 1) return;
        const auto item = *node.begin();
        if (!item.second.IsNull() || std::find(names_.begin(), names_.end(), item.first.Scalar()) == names_.end()) return;
        const std::string name = item.first.Scalar();
        doc_.fail(node, what + " is the mapping {" + name + ": null} to YAML; write a parameter in quotes: \"{" + name + "}\"");
    }

    const Document& doc_;
    std::vector<std::string> names_;
    const Parameters* parameters_ = nullptr;  // null at load
};

std::vector<std::string> strings(const Document& doc, const YAML::Node& node, const std::string& what) {
    doc.expect_sequence(node, what);
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(doc.string_value(item, what + " item"));
    return out;
}

// A command line: a string split at spaces (after substitution: one parameter may be several words), or a
// list of arguments (for arguments with spaces).
std::vector<std::string> arguments(const Values& values, const YAML::Node& node, const std::string& what) {
    if (node.IsSequence()) return values.texts(node, what);
    std::istringstream in(values.text(node, what));
    std::vector<std::string> out;
    for (std::string word; in >> word;) out.push_back(word);
    if (out.empty()) values.fail(node, what + " is empty");
    return out;
}

bool is_identifier(const std::string& text) {
    static const std::regex pattern("[A-Za-z0-9][A-Za-z0-9_.-]*");
    return std::regex_match(text, pattern);
}

const std::set<std::string>& result_names() {
    static const std::set<std::string> names{"ok", "usage", "wrong_pin", "pin_locked", "no_reader", "no_card", "card_removed",
                                             "card_mute", "not_my_number_card", "card_error", "certificate_rejected",
                                             "not_registered", "server_refused", "rejected", "server_unreachable",
                                             "server_timeout", "server_malformed"};
    return names;
}

bool is_exit(const std::string& value) {
    const bool number = !value.empty() && value.size() <= 3 && value.find_first_not_of("0123456789") == std::string::npos;
    return number || result_names().count(value);
}

Expectation load_expectation(const Values& values, const YAML::Node& node) {
    const auto& doc = values.doc();
    doc.expect_map(node, "expect");
    doc.check_keys(node, {"exit", "json", "apdu", "journal", "card", "duration_ms"}, "expect");
    Expectation e;
    e.where = doc.at(node);
    if (node["exit"]) {
        e.exit = values.text(node["exit"], "expect.exit");
        std::string all;
        for (const auto& n : result_names()) all += (all.empty() ? "" : ", ") + n;
        values.require(node["exit"], is_exit(*e.exit), "expect.exit must be an exit code or one of: " + all + "; found '" + *e.exit + "'");
    }
    if (const auto json = node["json"]) {
        doc.expect_map(json, "expect.json");
        for (const auto& item : json) e.json.emplace_back(doc.string_value(item.first, "expect.json key"),
                                                           values.text(item.second, "expect.json." + item.first.Scalar()));
    }
    if (const auto apdu = node["apdu"]) {
        doc.expect_map(apdu, "expect.apdu");
        doc.check_keys(apdu, {"contains", "not_contains", "count", "order"}, "expect.apdu");
        if (apdu["order"]) e.apdu_order = values.texts(apdu["order"], "expect.apdu.order");
        if (apdu["contains"]) e.apdu_contains = values.texts(apdu["contains"], "expect.apdu.contains");
        if (apdu["not_contains"]) e.apdu_not_contains = values.texts(apdu["not_contains"], "expect.apdu.not_contains");
        if (const auto count = apdu["count"]) {
            doc.expect_map(count, "expect.apdu.count");
            for (const auto& item : count)
                e.apdu_count.emplace_back(values.text(item.first, "expect.apdu.count key"),
                                          static_cast<int>(values.integer(item.second, "expect.apdu.count." + item.first.Scalar(), 0, 100000)));
        }
    }
    if (const auto journal = node["journal"]) {
        doc.expect_map(journal, "expect.journal");
        doc.check_keys(journal, {"called", "not_called"}, "expect.journal");
        if (journal["called"]) e.journal_called = values.texts(journal["called"], "expect.journal.called");
        if (journal["not_called"]) e.journal_not_called = values.texts(journal["not_called"], "expect.journal.not_called");
    }
    if (const auto card = node["card"]) {
        doc.expect_map(card, "expect.card");
        doc.check_keys(card, {"tries_left"}, "expect.card");
        if (card["tries_left"]) e.tries_left = static_cast<int>(values.integer(card["tries_left"], "expect.card.tries_left", 0, 15));
    }
    if (node["duration_ms"])
        e.max_duration_ms = static_cast<int>(values.integer(node["duration_ms"], "expect.duration_ms", 1, 3600000));
    return e;
}

bool is_fault_kind(const std::string& kind) {
    return kind == "status" || kind == "malformed" || kind == "drop" || kind == "no_answer" || kind == "latency";
}

// A fault for the admin API's `add`.
nlohmann::json fault_object(const Values& values, const YAML::Node& node, const std::string& what) {
    const auto& doc = values.doc();
    doc.expect_map(node, what);
    doc.check_keys(node, {"call", "kind", "status", "latency_ms", "count"}, what);
    nlohmann::json fault = nlohmann::json::object();
    fault["call"] = node["call"] ? values.text(node["call"], what + ".call") : "*";
    if (!node["kind"]) doc.fail(node, what + " needs kind: status, malformed, drop, no_answer or latency");
    const std::string kind = values.text(node["kind"], what + ".kind");
    values.require(node["kind"], is_fault_kind(kind),
                   what + ".kind must be status, malformed, drop, no_answer or latency, found '" + kind + "'");
    fault["kind"] = kind;
    if (node["status"]) fault["status"] = values.integer(node["status"], what + ".status", 100, 599);
    if (node["latency_ms"]) fault["latency_ms"] = values.integer(node["latency_ms"], what + ".latency_ms", 0, 600000);
    if (node["count"]) fault["count"] = values.integer(node["count"], what + ".count", 1, 1000000);
    return fault;
}

Step load_step(const Values& values, const YAML::Node& node, std::size_t index) {
    const auto& doc = values.doc();
    const std::string what = "step " + std::to_string(index + 1);
    doc.expect_map(node, what);
    doc.check_keys(node, {"client", "reception", "insert", "remove", "reset", "fault", "clear_faults", "clock", "wait", "set_tries",
                          "tear_after", "expect"},
                   what);
    Step step;
    step.where = doc.at(node);
    int actions = 0;
    for (const auto& item : node)
        if (item.first.Scalar() != "expect") ++actions;
    if (actions != 1)
        doc.fail(node, what + " needs exactly one action (client, reception, insert, remove, reset, fault, clear_faults, clock, wait, "
                              "set_tries, tear_after)");
    if (const auto n = node["client"]) {
        step.kind = StepKind::Client;
        step.args = arguments(values, n, what + ".client");
    } else if (const auto r = node["reception"]) {
        step.kind = StepKind::Reception;
        step.args = arguments(values, r, what + ".reception");
    } else if (const auto i = node["insert"]) {
        step.kind = StepKind::Insert;
        if (!i.IsNull()) {
            doc.expect_map(i, what + ".insert");
            doc.check_keys(i, {"card"}, what + ".insert");
            if (i["card"]) step.profile = values.text(i["card"], what + ".insert.card");
        }
    } else if (node["remove"]) {
        step.kind = StepKind::Remove;
    } else if (node["reset"]) {
        step.kind = StepKind::Reset;
    } else if (const auto f = node["fault"]) {
        step.kind = StepKind::Fault;
        step.fault = fault_object(values, f, what + ".fault");
    } else if (node["clear_faults"]) {
        step.kind = StepKind::ClearFaults;
    } else if (const auto c = node["clock"]) {
        step.kind = StepKind::Clock;
        doc.expect_map(c, what + ".clock");
        doc.check_keys(c, {"set", "advance"}, what + ".clock");
        if (c["set"]) step.clock_set = values.text(c["set"], what + ".clock.set");
        if (c["advance"]) step.clock_advance = values.text(c["advance"], what + ".clock.advance");
        if (step.clock_set.empty() && step.clock_advance.empty()) doc.fail(c, what + ".clock needs set or advance");
    } else if (const auto t = node["set_tries"]) {
        step.kind = StepKind::SetTries;
        doc.expect_map(t, what + ".set_tries");
        doc.check_keys(t, {"pin", "tries"}, what + ".set_tries");
        if (t["pin"]) {
            step.pin = values.text(t["pin"], what + ".set_tries.pin");
            values.require(t["pin"], step.pin == "auth" || step.pin == "sign" || step.pin == "kenmen_hojo",
                           what + ".set_tries.pin must be auth, sign or kenmen_hojo, found '" + step.pin + "'");
        }
        if (!t["tries"]) doc.fail(t, what + ".set_tries needs tries");
        step.count = static_cast<int>(values.integer(t["tries"], what + ".set_tries.tries", 0, 15));
    } else if (const auto a = node["tear_after"]) {
        step.kind = StepKind::TearAfter;
        step.count = static_cast<int>(values.integer(a, what + ".tear_after (APDUs)", 0, 100000));
    } else if (const auto w = node["wait"]) {
        step.kind = StepKind::Wait;
        step.wait_ms = static_cast<int>(values.integer(w, what + ".wait (milliseconds)", 0, 600000));
    }
    if (node["expect"]) {
        if (step.kind != StepKind::Client && step.kind != StepKind::Reception)
            doc.fail(node["expect"], what + ": only client and reception steps have expectations");
        step.expect = load_expectation(values, node["expect"]);
    }
    return step;
}

Setup load_setup(const Values& values, const YAML::Node& root) {
    const auto& doc = values.doc();
    if (!root["setup"]) doc.fail(root, "missing 'setup' (at least the card)");
    const auto node = root["setup"];
    doc.expect_map(node, "setup");
    doc.check_keys(node, {"card", "inserted", "dataset", "clock", "faults"}, "setup");
    Setup setup;
    if (!node["card"]) doc.fail(node, "setup needs 'card' (a profile name)");
    setup.profile = values.text(node["card"], "setup.card");
    setup.profile_where = doc.at(node["card"]);
    if (node["inserted"]) setup.card_inserted = values.boolean(node["inserted"], "setup.inserted");
    if (node["dataset"]) {
        setup.dataset = values.text(node["dataset"], "setup.dataset");
        setup.dataset_where = doc.at(node["dataset"]);
    }
    if (node["clock"]) setup.clock = values.text(node["clock"], "setup.clock");
    if (const auto faults = node["faults"]) {
        doc.expect_sequence(faults, "setup.faults");
        for (const auto& f : faults) setup.faults.push_back(fault_object(values, f, "setup.faults item"));
    }
    return setup;
}

std::vector<Step> load_steps(const Values& values, const YAML::Node& root) {
    const auto& doc = values.doc();
    if (!root["steps"]) doc.fail(root, "missing 'steps'");
    const auto node = root["steps"];
    doc.expect_sequence(node, "steps");
    std::vector<Step> steps;
    for (std::size_t i = 0; i < node.size(); ++i) steps.push_back(load_step(values, node[i], i));
    if (steps.empty()) doc.fail(node, "a scenario needs at least one step");
    return steps;
}

std::vector<std::string> parameter_names(const Scenario& s) {
    std::vector<std::string> names;
    for (const auto& [name, values] : s.matrix) names.push_back(name);
    if (!s.rows.empty())
        for (const auto& [name, value] : s.rows.front()) names.push_back(name);
    return names;
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
    if (const auto matrix = root["matrix"]) {
        if (matrix.IsSequence()) {
            // Rows: one case per row, every row naming the same parameters.
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
    // setup and steps are read again for each case, with its parameters; here they are checked as written.
    s.document = std::make_shared<const Document>(doc);
    const Values as_written(doc, parameter_names(s));
    load_setup(as_written, root);
    load_steps(as_written, root);
    return s;
}

}  // namespace

std::vector<Requirement> load_requirements(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw yaml::LoadError(yaml::SourceLocation{file.string(), 1, 1}, "cannot open the requirements list");
    std::vector<Requirement> out;
    std::set<std::string> seen;
    int number = 0;
    static const std::regex line_pattern(R"(^([A-Z][A-Z0-9-]*)\s+(\S+)\s+(.+)$)");
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        std::smatch match;
        if (!std::regex_match(line, match, line_pattern))
            throw yaml::LoadError(yaml::SourceLocation{file.string(), number, 1}, "expected 'ID  SOURCE  text', found '" + line + "'");
        if (!seen.insert(match[1]).second)
            throw yaml::LoadError(yaml::SourceLocation{file.string(), number, 1}, "duplicate requirement id '" + match[1].str() + "'");
        out.push_back({match[1], match[2], match[3]});
    }
    return out;
}

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

fs::path resolve_profile(const std::string& name, const fs::path& scenario_file, const ScenarioContext& context) {
    if (name.find('/') != std::string::npos || (name.size() > 5 && name.substr(name.size() - 5) == ".yaml")) {
        const fs::path relative = fs::path(scenario_file).parent_path() / name;
        return fs::path(name).is_absolute() ? fs::path(name) : relative;
    }
    return context.profile_dir / (name + ".yaml");
}

std::vector<Case> expand(const std::vector<Scenario>& scenarios, const ScenarioContext& context) {
    std::vector<Case> cases;
    std::set<std::string> ids;
    for (const auto& s : scenarios) {
        // Rows as written, or the cartesian product in the matrix's order (the last parameter varies fastest).
        std::vector<std::vector<std::pair<std::string, std::string>>> combinations = s.rows;
        if (combinations.empty()) {
            std::vector<std::size_t> index(s.matrix.size(), 0);
            for (;;) {
                std::vector<std::pair<std::string, std::string>> one;
                for (std::size_t p = 0; p < s.matrix.size(); ++p) one.emplace_back(s.matrix[p].first, s.matrix[p].second[index[p]]);
                combinations.push_back(std::move(one));
                bool advanced = false;
                for (std::size_t p = s.matrix.size(); p-- > 0;) {
                    if (++index[p] < s.matrix[p].second.size()) {
                        advanced = true;
                        break;
                    }
                    index[p] = 0;
                }
                if (!advanced) break;
            }
        }
        for (const auto& parameters : combinations) {
            Case c;
            c.scenario = &s;
            c.parameters = parameters;
            c.id = s.id;
            if (!c.parameters.empty()) {
                c.id += "[";
                for (std::size_t p = 0; p < c.parameters.size(); ++p)
                    c.id += (p ? "," : "") + c.parameters[p].first + "=" + c.parameters[p].second;
                c.id += "]";
            }
            const Values values(*s.document, c.parameters);
            c.setup = load_setup(values, s.document->root());
            c.steps = load_steps(values, s.document->root());
            if (!fs::exists(resolve_profile(c.setup.profile, s.file, context)))
                throw yaml::LoadError(c.setup.profile_where, "unknown card profile '" + c.setup.profile + "' (no " +
                                                                 resolve_profile(c.setup.profile, s.file, context).string() + ")");
            if (!c.setup.dataset.empty()) {  // empty (also after substitution): the shipped default
                const fs::path dataset = fs::path(s.file).parent_path() / c.setup.dataset;
                if (!fs::exists(dataset)) throw yaml::LoadError(c.setup.dataset_where, "no dataset file " + dataset.string());
                c.setup.dataset = dataset.string();
            }
            for (const auto& step : c.steps)
                if (!step.profile.empty() && !fs::exists(resolve_profile(step.profile, s.file, context)))
                    throw yaml::LoadError(step.where, "unknown card profile '" + step.profile + "'");
            if (!ids.insert(c.id).second) throw yaml::LoadError(yaml::SourceLocation{s.file, 1, 1}, "duplicate case id '" + c.id + "'");
            cases.push_back(std::move(c));
        }
    }
    return cases;
}

}  // namespace mynasim::harness
