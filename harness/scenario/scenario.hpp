#pragma once
// A conformance scenario (scenarios/README.md, format version 1): metadata, setup, steps with
// expectations, and a matrix of parameters it expands over. Loaded strictly by scenario_loader; expanded
// into cases by matrix_expansion.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/yaml_strict.hpp"

namespace mynasim::harness {

// What a step expects; every part is optional.
struct Expectation {
    std::optional<std::string> exit;  // a result name ("ok", "wrong_pin", …) or an exit code ("10")
    std::vector<std::pair<std::string, std::string>> json;         // client report field → expected text
    std::vector<std::string> apdu_contains, apdu_not_contains;      // decoded command text or "hex:PREFIX"
    std::vector<std::pair<std::string, int>> apdu_count;            // pattern → exact count
    std::vector<std::string> apdu_order;                            // these commands, in this order (others between)
    std::vector<std::string> journal_called, journal_not_called;    // server calls, e.g. /v2/confirmations
    // The file interface's check of the requests a reception wrote during the step (their journal findings):
    std::optional<bool> requests_valid;                             // no error finding (true) / some (false)
    std::optional<std::vector<std::string>> requests_findings;      // exactly these, in order: "rule" or "rule at WHERE"
    std::optional<int> tries_left;                                  // the card's auth PIN tries afterwards
    std::optional<int> max_duration_ms;
    yaml::SourceLocation where;
};

enum class StepKind { Client, Reception, Insert, Remove, Reset, Fault, ClearFaults, Clock, Wait, SetTries, TearAfter };

struct Step {
    StepKind kind = StepKind::Client;
    std::vector<std::string> args;  // Client / Reception: the action and its options
    std::string profile;            // Insert: another card (default: the case's card)
    nlohmann::json fault;           // Fault: the admin API's `add` object
    std::string clock_set, clock_advance;
    int wait_ms = 0;
    std::string pin = "auth";  // SetTries
    int count = 0;             // SetTries: tries left; TearAfter: APDUs still answered
    std::optional<Expectation> expect;
    yaml::SourceLocation where;
};

struct Setup {
    std::string profile;          // card profile name (card-profiles/NAME.yaml) or path
    bool card_inserted = true;
    std::string dataset;          // server dataset file; empty: the shipped default
    std::string clock;            // the server's clock at start; empty: 2026-04-01T00:00:00Z
    std::vector<nlohmann::json> faults;  // server faults armed before the first step
    std::string expiry_grace_from;       // the server's --expiry-grace-from; empty: its default
    std::optional<std::int64_t> bulk_ready_after;  // the server's --bulk-ready-after (seconds); none: its default
    bool bulk_zip = false;                         // the server's --bulk-zip
    yaml::SourceLocation profile_where, dataset_where;
};

struct Scenario {
    std::string file;
    std::string sha256;  // of the file's bytes (run identity)
    std::string id, title;
    std::vector<std::string> requirements, tags;
    std::vector<std::string> clients;  // built-in clients this scenario is written for (empty: the run's --client)
    yaml::SourceLocation clients_where;
    // Either parameters with lists of values (every combination), or rows (one case each).
    std::vector<std::pair<std::string, std::vector<std::string>>> matrix;  // in file order
    std::vector<std::vector<std::pair<std::string, std::string>>> rows;
    // The file as parsed: each case reads its setup and steps from it, {parameters} substituted before
    // any value is typed (matrix expansion).
    std::shared_ptr<const yaml::Document> document;
};

// One expanded case: a scenario with one value per matrix parameter, placeholders substituted.
struct Case {
    std::string id;  // stable: "<scenario id>" or "<scenario id>[k=v,k=v]" in matrix order
    std::size_t index = 0;  // position in the run's selection before sharding: merged shards keep this order
    std::string client;     // the client under test for this case (several clients: each case once per client)
    const Scenario* scenario = nullptr;
    std::vector<std::pair<std::string, std::string>> parameters;
    Setup setup;
    std::vector<Step> steps;
};

}  // namespace mynasim::harness
