#pragma once
// A whole conformance run, as `mynasim run` and the Python module do it: load scenarios, pick cases
// (tags, id glob, shard), expand them over the clients under test, run them, apply waivers, and build
// the run report (report.json's content). One code path for the CLI, Python and the tests.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/client_adapter.hpp"
#include "runner/runner.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/waivers.hpp"

namespace mynasim::harness {

// A selection that cannot be made (bad --shard, unknown client, nothing selected): the user's mistake.
class SelectionError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct RunSelection {
    std::vector<std::filesystem::path> paths;  // scenario files or folders
    std::filesystem::path profile_dir;         // where profile names resolve
    std::filesystem::path requirements;        // requirements.txt
    std::vector<std::string> clients{"reference"};  // "reference" or client adapter YAML files
    std::vector<std::string> tags;             // any of these (empty: all)
    std::string id_glob;                       // fnmatch over case ids (empty: all)
    std::string shard;                         // "K/N" or empty
};

// Loaded and selected, ready to run. Cases point into `scenarios` and `adapters`: keep the plan alive.
struct RunPlan {
    ScenarioContext context;
    std::vector<Scenario> scenarios;
    std::vector<Case> cases;  // selected, one per (case, client); ids end in @client with several
    std::vector<std::unique_ptr<ClientAdapter>> adapters;
    std::map<std::string, const ClientAdapter*> clients;  // by name
    std::string shard;
};

// Throws yaml::LoadError (file:line:col) for bad scenarios, client files or requirements, SelectionError
// for a selection that cannot be made. An empty selection is not an error here (listing may want it).
RunPlan plan_run(const RunSelection& selection);

struct RunSettings {
    int jobs = 1;
    std::filesystem::path work_dir;  // scratch space for the workers; removed afterwards
    std::string mynasim_binary;
    std::chrono::milliseconds step_timeout{60000};
    std::vector<Waiver> waivers;
    std::string suite_version;
};

struct FinishedRun {
    std::vector<CaseResult> results;  // in the order of plan.cases
    nlohmann::json report;            // report.json's content, waivers_unused included (reports/ writes its files)
    std::size_t failed = 0;           // failed or errored (waived cases excluded)
};

// Runs every case of the plan; `on_done` sees each result (serialised) after waivers were applied.
FinishedRun execute_run(const RunPlan& plan, const RunSettings& settings,
                        const std::function<void(const CaseResult&)>& on_done = {});

}  // namespace mynasim::harness
