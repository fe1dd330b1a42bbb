#include "scenario_steps.hpp"

#include <set>
#include <sstream>

namespace mynasim::harness {

namespace {

// A command line: a string split at spaces (after substitution: one parameter may be several words), or a
// list of arguments (for arguments with spaces).
std::vector<std::string> arguments(const ScenarioValues& values, const YAML::Node& node, const std::string& what) {
    if (node.IsSequence()) return values.texts(node, what);
    std::istringstream in(values.text(node, what));
    std::vector<std::string> out;
    for (std::string word; in >> word;) out.push_back(word);
    if (out.empty()) values.fail(node, what + " is empty");
    return out;
}

const std::set<std::string>& result_names() {
    static const std::set<std::string> names{"ok", "usage", "wrong_pin", "pin_locked", "pin_not_set", "no_reader", "no_card", "card_removed",
                                             "card_mute", "not_my_number_card", "card_error", "certificate_rejected",
                                             "not_registered", "server_refused", "rejected", "server_unreachable",
                                             "server_timeout", "server_malformed", "bulk_pending"};
    return names;
}

bool is_exit(const std::string& value) {
    const bool number = !value.empty() && value.size() <= 3 && value.find_first_not_of("0123456789") == std::string::npos;
    return number || result_names().count(value);
}

Expectation load_expectation(const ScenarioValues& values, const YAML::Node& node) {
    const auto& doc = values.doc();
    doc.expect_map(node, "expect");
    doc.check_keys(node, {"exit", "json", "apdu", "journal", "requests", "card", "duration_ms"}, "expect");
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
    if (const auto requests = node["requests"]) {
        doc.expect_map(requests, "expect.requests");
        doc.check_keys(requests, {"valid", "findings"}, "expect.requests");
        if (requests["valid"]) e.requests_valid = values.boolean(requests["valid"], "expect.requests.valid");
        if (requests["findings"]) e.requests_findings = values.texts(requests["findings"], "expect.requests.findings");
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
nlohmann::json fault_object(const ScenarioValues& values, const YAML::Node& node, const std::string& what) {
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

Step load_step(const ScenarioValues& values, const YAML::Node& node, std::size_t index) {
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
        if (c["set"]) step.clock_set = values.time(c["set"], what + ".clock.set");
        if (c["advance"]) step.clock_advance = values.time(c["advance"], what + ".clock.advance");
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

}  // namespace

Setup load_setup(const ScenarioValues& values, const YAML::Node& root) {
    const auto& doc = values.doc();
    if (!root["setup"]) doc.fail(root, "missing 'setup' (at least the card)");
    const auto node = root["setup"];
    doc.expect_map(node, "setup");
    doc.check_keys(node, {"card", "inserted", "dataset", "clock", "faults", "expiry_grace_from", "bulk_ready_after", "bulk_zip"}, "setup");
    Setup setup;
    if (!node["card"]) doc.fail(node, "setup needs 'card' (a profile name)");
    setup.profile = values.text(node["card"], "setup.card");
    setup.profile_where = doc.at(node["card"]);
    if (node["inserted"]) setup.card_inserted = values.boolean(node["inserted"], "setup.inserted");
    if (node["dataset"]) {
        setup.dataset = values.text(node["dataset"], "setup.dataset");
        setup.dataset_where = doc.at(node["dataset"]);
    }
    if (node["clock"]) setup.clock = values.time(node["clock"], "setup.clock");
    if (node["expiry_grace_from"]) {
        setup.expiry_grace_from = values.text(node["expiry_grace_from"], "setup.expiry_grace_from");
        values.require(node["expiry_grace_from"], setup.expiry_grace_from == "expiry" || setup.expiry_grace_from == "month-end",
                       "setup.expiry_grace_from must be expiry or month-end, found '" + setup.expiry_grace_from + "'");
    }
    if (node["bulk_ready_after"]) setup.bulk_ready_after = values.integer(node["bulk_ready_after"], "setup.bulk_ready_after", 0, 86400);
    if (node["bulk_zip"]) setup.bulk_zip = values.boolean(node["bulk_zip"], "setup.bulk_zip");
    if (const auto faults = node["faults"]) {
        doc.expect_sequence(faults, "setup.faults");
        for (const auto& f : faults) setup.faults.push_back(fault_object(values, f, "setup.faults item"));
    }
    return setup;
}

std::vector<Step> load_steps(const ScenarioValues& values, const YAML::Node& root) {
    const auto& doc = values.doc();
    if (!root["steps"]) doc.fail(root, "missing 'steps'");
    const auto node = root["steps"];
    doc.expect_sequence(node, "steps");
    std::vector<Step> steps;
    for (std::size_t i = 0; i < node.size(); ++i) steps.push_back(load_step(values, node[i], i));
    if (steps.empty()) doc.fail(node, "a scenario needs at least one step");
    return steps;
}

}  // namespace mynasim::harness
