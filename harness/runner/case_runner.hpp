#pragma once
// Runs one expanded case on a bench: its setup, its steps in order, each step's expectations checked
// against the client's answer, the card's trace and state, and the server's journal.
#include <chrono>
#include <string>

#include "runner/case_result.hpp"
#include "runner/client_adapter.hpp"
#include "runner/test_bench.hpp"
#include "scenario/scenario_loader.hpp"

namespace mynasim::harness {

struct CaseSettings {
    std::string mynasim_binary;
    std::chrono::milliseconds step_timeout{60000};  // a client step taking longer is killed: verdict error
    const ScenarioContext* context = nullptr;
};

CaseResult run_case(const Case& test_case, TestBench& bench, const ClientAdapter& client, const ClientAdapter& reception,
                    const CaseSettings& settings);

}  // namespace mynasim::harness
