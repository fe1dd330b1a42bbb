#pragma once
// What running one case produced: verdict, the expectations that failed (expected vs actual), what each
// step did, and the evidence (APDU trace, server journal).
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/scenario.hpp"

namespace mynasim::harness {

enum class Verdict { Pass, Fail, Error, Waived };
const char* verdict_name(Verdict verdict);

struct ExpectationFailure {
    std::size_t step = 0;  // 1-based
    std::string expectation;  // e.g. "exit", "json.Name", "apdu.not_contains VERIFY"
    std::string expected, actual;
    std::string where;  // file:line:col of the expectation
};

struct StepRecord {
    std::string action;  // "client confirm --pin 1234", "insert valid", …
    int exit_code = 0;
    std::chrono::milliseconds duration{0};
    nlohmann::json output;  // the client's JSON report, or {"text": …} when it printed no JSON
};

struct CaseResult {
    const Case* test_case = nullptr;
    std::string client;
    Verdict verdict = Verdict::Pass;
    std::string error;  // for Verdict::Error: what broke (not the client's fault)
    std::chrono::milliseconds duration{0};
    std::vector<ExpectationFailure> failures;
    std::vector<StepRecord> steps;
    nlohmann::json apdus = nlohmann::json::array();    // decoded trace of the whole case
    nlohmann::json journal = nlohmann::json::array();  // the server's exchanges
    std::string waiver;  // the reason, for Verdict::Waived
};

}  // namespace mynasim::harness
