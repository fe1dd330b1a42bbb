#pragma once
// Runs cases on N workers, each with its own bench (private pcscd + card, a server per case), and
// reports each finished case as it comes.
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "runner/case_runner.hpp"

namespace mynasim::harness {

struct RunnerSettings {
    int jobs = 1;
    std::filesystem::path work_dir;  // worker-N/ below it
    CaseSettings case_settings;
};

// Results in the order of `cases`; each case runs against clients.at(case.client). `on_done` is called
// (serialised) after each case.
std::vector<CaseResult> run_cases(const std::vector<Case>& cases, const std::map<std::string, const ClientAdapter*>& clients,
                                  const RunnerSettings& settings,
                                  const std::function<void(CaseResult&)>& on_done);

}  // namespace mynasim::harness
