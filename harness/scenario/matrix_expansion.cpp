#include "matrix_expansion.hpp"

#include <set>

#include "scenario/scenario_steps.hpp"

namespace mynasim::harness {

namespace fs = std::filesystem;

namespace {

// Rows as written, or the cartesian product in the matrix's order (the last parameter varies fastest).
// A scenario without a matrix has one case, without parameters.
std::vector<Parameters> combinations(const Scenario& s) {
    if (!s.rows.empty()) return s.rows;
    std::vector<Parameters> out;
    std::vector<std::size_t> index(s.matrix.size(), 0);
    for (;;) {
        Parameters one;
        for (std::size_t p = 0; p < s.matrix.size(); ++p) one.emplace_back(s.matrix[p].first, s.matrix[p].second[index[p]]);
        out.push_back(std::move(one));
        bool advanced = false;
        for (std::size_t p = s.matrix.size(); p-- > 0;) {
            if (++index[p] < s.matrix[p].second.size()) {
                advanced = true;
                break;
            }
            index[p] = 0;
        }
        if (!advanced) return out;
    }
}

// "<scenario id>" or "<scenario id>[k=v,k=v]" in matrix order: stable between runs.
std::string case_id(const Scenario& s, const Parameters& parameters) {
    if (parameters.empty()) return s.id;
    std::string id = s.id + "[";
    for (std::size_t p = 0; p < parameters.size(); ++p) id += (p ? "," : "") + parameters[p].first + "=" + parameters[p].second;
    return id + "]";
}

// The case's profiles must exist; its dataset is found relative to the scenario file.
void find_files(Case& c, const ScenarioContext& context) {
    const std::string& file = c.scenario->file;
    if (!fs::exists(resolve_profile(c.setup.profile, file, context)))
        throw yaml::LoadError(c.setup.profile_where, "unknown card profile '" + c.setup.profile + "' (no " +
                                                         resolve_profile(c.setup.profile, file, context).string() + ")");
    if (!c.setup.dataset.empty()) {  // empty (also after substitution): the shipped default
        const fs::path dataset = fs::path(file).parent_path() / c.setup.dataset;
        if (!fs::exists(dataset)) throw yaml::LoadError(c.setup.dataset_where, "no dataset file " + dataset.string());
        c.setup.dataset = dataset.string();
    }
    for (const auto& step : c.steps)
        if (!step.profile.empty() && !fs::exists(resolve_profile(step.profile, file, context)))
            throw yaml::LoadError(step.where, "unknown card profile '" + step.profile + "'");
}

}  // namespace

std::vector<Case> expand(const std::vector<Scenario>& scenarios, const ScenarioContext& context) {
    std::vector<Case> cases;
    std::set<std::string> ids;
    for (const auto& s : scenarios) {
        for (auto& parameters : combinations(s)) {
            Case c;
            c.scenario = &s;
            c.id = case_id(s, parameters);
            c.parameters = std::move(parameters);
            // The case's own reading of setup and steps: its values substituted before anything is typed.
            const ScenarioValues values(*s.document, c.parameters);
            c.setup = load_setup(values, s.document->root());
            c.steps = load_steps(values, s.document->root());
            find_files(c, context);
            if (!ids.insert(c.id).second) throw yaml::LoadError(yaml::SourceLocation{s.file, 1, 1}, "duplicate case id '" + c.id + "'");
            cases.push_back(std::move(c));
        }
    }
    return cases;
}

}  // namespace mynasim::harness
