// {parameter} substitution in scenarios: every typed field of the format (integers, booleans, enums, lists,
// times, paths) takes a parameter, substituted before the value is typed and checked; a parameter that
// substitutes to a bad value is an error at the value's file:line:col that names what was substituted.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <functional>
#include <list>
#include <string>

#include "scenario/matrix_expansion.hpp"
#include "scenario/scenario_loader.hpp"
#include "test_support.hpp"

using namespace mynasim;

namespace {

harness::ScenarioContext context() {
    harness::ScenarioContext c;
    c.profile_dir = test::source_path("card-profiles");
    c.requirements = harness::load_requirements(test::source_path("scenarios/requirements.txt"));
    return c;
}

// A scenario of one case whose parameter v has `value`; `setup` and `steps` are YAML flow text.
std::string scenario_text(const std::string& value, const std::string& setup, const std::string& steps) {
    return "scenario: 1\nid: s\ntitle: t\nrequirements: [PIN-VERIFY-01]\n"
           "matrix:\n  - {v: '" + value + "'}\n"
           "setup: " + setup + "\n"
           "steps:\n" + steps;
}

// The qualifications folder has datasets in data/, for the dataset row.
const std::string scenario_file = test::source_path("scenarios/qualifications/inline.yaml");

harness::Case one_case(const std::string& text) {
    const auto ctx = context();
    static std::list<std::vector<harness::Scenario>> keep;  // cases point into their scenarios
    keep.push_back({harness::load_scenario_text(text, scenario_file, ctx)});
    auto cases = harness::expand(keep.back(), ctx);
    BOOST_REQUIRE(cases.size() == 1u);
    return cases.front();
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : "|") + item;
    return out;
}

struct TypedField {
    const char* field;
    const char* value;  // v's value in the matrix
    const char* setup;  // setup: … (flow YAML)
    const char* steps;  // steps: … (block YAML)
    std::function<std::string(const harness::Case&)> actual;
    const char* expected;  // the typed value, as text
};

const char* const plain_setup = "{card: valid}";
const char* const one_client_step = "  - client: confirm\n";

const harness::Expectation& first_expect(const harness::Case& c) { return *c.steps.at(0).expect; }

// One row per typed field of scenarios/README.md.
const std::vector<TypedField>& typed_fields() {
    static const std::vector<TypedField> rows{
        // setup
        {"setup.card", "person-2", "{card: '{v}'}", one_client_step, [](const auto& c) { return c.setup.profile; }, "person-2"},
        {"setup.inserted", "false", "{card: valid, inserted: '{v}'}", one_client_step,
         [](const auto& c) { return std::string(c.setup.card_inserted ? "true" : "false"); }, "false"},
        {"setup.dataset", "several", "{card: valid, dataset: 'data/{v}.yaml'}", one_client_step,
         [](const auto& c) { return std::filesystem::path(c.setup.dataset).filename().string(); }, "several.yaml"},
        {"setup.clock", "2027", "{card: valid, clock: '{v}-01-01T00:00:00Z'}", one_client_step, [](const auto& c) { return c.setup.clock; },
         "2027-01-01T00:00:00Z"},
        {"setup.faults.call", "/v2/challenge", "{card: valid, faults: [{call: '{v}', kind: drop}]}", one_client_step,
         [](const auto& c) { return c.setup.faults.at(0)["call"].template get<std::string>(); }, "/v2/challenge"},
        {"setup.faults.kind", "latency", "{card: valid, faults: [{kind: '{v}'}]}", one_client_step,
         [](const auto& c) { return c.setup.faults.at(0)["kind"].template get<std::string>(); }, "latency"},
        {"setup.faults.status", "503", "{card: valid, faults: [{kind: status, status: '{v}'}]}", one_client_step,
         [](const auto& c) { return c.setup.faults.at(0)["status"].dump(); }, "503"},
        {"setup.faults.latency_ms", "250", "{card: valid, faults: [{kind: latency, latency_ms: '{v}'}]}", one_client_step,
         [](const auto& c) { return c.setup.faults.at(0)["latency_ms"].dump(); }, "250"},
        {"setup.faults.count", "2", "{card: valid, faults: [{kind: drop, count: '{v}'}]}", one_client_step,
         [](const auto& c) { return c.setup.faults.at(0)["count"].dump(); }, "2"},
        // steps
        {"client (string)", "--pin 1234", plain_setup, "  - client: confirm {v}\n", [](const auto& c) { return join(c.steps.at(0).args); },
         "confirm|--pin|1234"},
        {"client (list)", "--pin 1234", plain_setup, "  - client: [confirm, '{v}']\n",
         [](const auto& c) { return join(c.steps.at(0).args); }, "confirm|--pin 1234"},
        {"reception", "ok", plain_setup, "  - reception: 'check {v}'\n", [](const auto& c) { return join(c.steps.at(0).args); },
         "check|ok"},
        {"insert.card", "person-2", plain_setup, "  - insert: {card: '{v}'}\n", [](const auto& c) { return c.steps.at(0).profile; },
         "person-2"},
        {"fault.call", "/v2/confirmations", plain_setup, "  - fault: {call: '{v}', kind: drop}\n",
         [](const auto& c) { return c.steps.at(0).fault["call"].template get<std::string>(); }, "/v2/confirmations"},
        {"fault.kind", "no_answer", plain_setup, "  - fault: {kind: '{v}'}\n",
         [](const auto& c) { return c.steps.at(0).fault["kind"].template get<std::string>(); }, "no_answer"},
        {"fault.status", "500", plain_setup, "  - fault: {kind: status, status: '{v}'}\n",
         [](const auto& c) { return c.steps.at(0).fault["status"].dump(); }, "500"},
        {"fault.latency_ms", "1500", plain_setup, "  - fault: {kind: latency, latency_ms: '{v}'}\n",
         [](const auto& c) { return c.steps.at(0).fault["latency_ms"].dump(); }, "1500"},
        {"fault.count", "3", plain_setup, "  - fault: {kind: drop, count: '{v}'}\n",
         [](const auto& c) { return c.steps.at(0).fault["count"].dump(); }, "3"},
        {"clock.set", "2030-01-01T00:00:00Z", plain_setup, "  - clock: {set: '{v}'}\n", [](const auto& c) { return c.steps.at(0).clock_set; },
         "2030-01-01T00:00:00Z"},
        {"clock.advance", "5y", plain_setup, "  - clock: {advance: '+{v}'}\n", [](const auto& c) { return c.steps.at(0).clock_advance; },
         "+5y"},
        {"wait", "250", plain_setup, "  - wait: '{v}'\n", [](const auto& c) { return std::to_string(c.steps.at(0).wait_ms); }, "250"},
        {"set_tries.pin", "sign", plain_setup, "  - set_tries: {pin: '{v}', tries: 1}\n", [](const auto& c) { return c.steps.at(0).pin; },
         "sign"},
        {"set_tries.tries", "2", plain_setup, "  - set_tries: {tries: '{v}'}\n",
         [](const auto& c) { return std::to_string(c.steps.at(0).count); }, "2"},
        {"tear_after", "7", plain_setup, "  - tear_after: '{v}'\n", [](const auto& c) { return std::to_string(c.steps.at(0).count); }, "7"},
        // expectations
        {"expect.exit (name)", "wrong_pin", plain_setup, "  - client: confirm\n    expect: {exit: '{v}'}\n",
         [](const auto& c) { return *first_expect(c).exit; }, "wrong_pin"},
        {"expect.exit (code)", "10", plain_setup, "  - client: confirm\n    expect: {exit: '{v}'}\n",
         [](const auto& c) { return *first_expect(c).exit; }, "10"},
        {"expect.json", "2", plain_setup, "  - client: confirm\n    expect: {json: {pin_tries_left: '{v}'}}\n",
         [](const auto& c) { return first_expect(c).json.at(0).second; }, "2"},
        {"expect.apdu.contains", "JPKI", plain_setup, "  - client: confirm\n    expect: {apdu: {contains: ['SELECT {v} AP']}}\n",
         [](const auto& c) { return join(first_expect(c).apdu_contains); }, "SELECT JPKI AP"},
        {"expect.apdu.not_contains", "0020", plain_setup, "  - client: confirm\n    expect: {apdu: {not_contains: ['hex:{v}']}}\n",
         [](const auto& c) { return join(first_expect(c).apdu_not_contains); }, "hex:0020"},
        {"expect.apdu.order", "VERIFY", plain_setup, "  - client: confirm\n    expect: {apdu: {order: [SELECT JPKI AP, '{v}']}}\n",
         [](const auto& c) { return join(first_expect(c).apdu_order); }, "SELECT JPKI AP|VERIFY"},
        {"expect.apdu.count (pattern)", "0020", plain_setup, "  - client: confirm\n    expect: {apdu: {count: {'hex:{v}': 1}}}\n",
         [](const auto& c) { return first_expect(c).apdu_count.at(0).first; }, "hex:0020"},
        {"expect.apdu.count (number)", "4", plain_setup, "  - client: confirm\n    expect: {apdu: {count: {'hex:0020': '{v}'}}}\n",
         [](const auto& c) { return std::to_string(first_expect(c).apdu_count.at(0).second); }, "4"},
        {"expect.journal.called", "challenge", plain_setup, "  - client: confirm\n    expect: {journal: {called: ['/v2/{v}']}}\n",
         [](const auto& c) { return join(first_expect(c).journal_called); }, "/v2/challenge"},
        {"expect.journal.not_called", "confirmations", plain_setup,
         "  - client: confirm\n    expect: {journal: {not_called: ['/v2/{v}']}}\n",
         [](const auto& c) { return join(first_expect(c).journal_not_called); }, "/v2/confirmations"},
        {"expect.card.tries_left", "1", plain_setup, "  - client: confirm\n    expect: {card: {tries_left: '{v}'}}\n",
         [](const auto& c) { return std::to_string(*first_expect(c).tries_left); }, "1"},
        {"expect.duration_ms", "15000", plain_setup, "  - client: confirm\n    expect: {duration_ms: '{v}'}\n",
         [](const auto& c) { return std::to_string(*first_expect(c).max_duration_ms); }, "15000"},
    };
    return rows;
}

struct BadParameter {
    const char* field;
    const char* value;
    const char* setup;
    const char* steps;
    int line;             // of the value as written (its column: where its quote is)
    const char* message;  // a part of the message
};

// Lines: 1 scenario, 2 id, 3 title, 4 requirements, 5 matrix, 6 the row, 7 setup, 8 steps, 9 the first step.
const std::vector<BadParameter>& bad_parameters() {
    static const std::vector<BadParameter> rows{
        {"tear_after", "many", plain_setup, "  - tear_after: '{v}'\n", 9,
         "step 1.tear_after (APDUs) must be a decimal integer, found 'many' (from '{v}' with v=many)"},
        {"wait", "-5", plain_setup, "  - wait: '{v}'\n", 9, "must be between 0 and 600000, found -5 (from '{v}' with v=-5)"},
        {"set_tries.tries", "16", plain_setup, "  - set_tries: {tries: '{v}'}\n", 9, "must be between 0 and 15, found 16 (from '{v}'"},
        {"set_tries.pin", "admin", plain_setup, "  - set_tries: {pin: '{v}', tries: 1}\n", 9,
         "set_tries.pin must be auth, sign or kenmen_hojo, found 'admin' (from '{v}' with v=admin)"},
        {"setup.inserted", "maybe", "{card: valid, inserted: '{v}'}", one_client_step, 7,
         "setup.inserted must be true or false, found 'maybe' (from '{v}' with v=maybe)"},
        {"setup.faults.status", "5xx", "{card: valid, faults: [{kind: status, status: '{v}'}]}", one_client_step, 7,
         "must be a decimal integer, found '5xx' (from '{v}' with v=5xx)"},
        {"fault.kind", "crash", plain_setup, "  - fault: {kind: '{v}'}\n", 9,
         "fault.kind must be status, malformed, drop, no_answer or latency, found 'crash' (from '{v}' with v=crash)"},
        {"expect.exit", "fine", plain_setup, "  - client: confirm\n    expect: {exit: '{v}'}\n", 10,
         "expect.exit must be an exit code or one of: "},
        {"expect.card.tries_left", "x", plain_setup, "  - client: confirm\n    expect: {card: {tries_left: '{v}'}}\n", 10,
         "must be a decimal integer, found 'x' (from '{v}' with v=x)"},
        {"expect.apdu.count", "lots", plain_setup, "  - client: confirm\n    expect: {apdu: {count: {'hex:00': '{v}'}}}\n", 10,
         "must be a decimal integer, found 'lots' (from '{v}' with v=lots)"},
        {"clock.advance", "soon", plain_setup, "  - clock: {advance: '{v}'}\n", 9,
         "step 1.clock.advance: 'soon' is not a time: "},
        {"setup.clock", "2026-13-01", "{card: valid, clock: '{v}'}", one_client_step, 7, "setup.clock: '2026-13-01' is not a time"},
        {"client (empty)", "", plain_setup, "  - client: '{v}'\n", 9, "step 1.client is empty (from '{v}' with v=)"},
        {"an unknown parameter in an integer", "1", plain_setup, "  - tear_after: '{w}'\n", 9, "'{w}' is no matrix parameter"},
    };
    return rows;
}

// The 1-based column of the first quoted placeholder ('{) on a 1-based line of `text`.
int column_of_value(const std::string& text, int line) {
    std::size_t start = 0;
    for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
    return static_cast<int>(text.find("'{", start) - start) + 1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_scenario_parameters)

BOOST_AUTO_TEST_CASE(every_typed_field_takes_a_parameter) {
    for (const auto& row : typed_fields()) {
        BOOST_TEST_CONTEXT(row.field) {
            try {
                const auto c = one_case(scenario_text(row.value, row.setup, row.steps));
                BOOST_TEST(row.actual(c) == std::string(row.expected));
            } catch (const yaml::LoadError& e) {
                BOOST_ERROR("did not load: " << e.what());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_parameter_with_a_bad_value_fails_where_it_is_written) {
    for (const auto& row : bad_parameters()) {
        const std::string text = scenario_text(row.value, row.setup, row.steps);
        BOOST_TEST_CONTEXT(row.field) {
            try {
                one_case(text);
                BOOST_ERROR("loaded, expected: " << row.message);
            } catch (const yaml::LoadError& e) {
                const std::string what = e.what();
                BOOST_TEST(e.where().file == scenario_file);
                BOOST_TEST(e.where().line == row.line, what);
                BOOST_TEST(e.where().column == column_of_value(text, row.line), what);
                BOOST_TEST(what.find(row.message) != std::string::npos, what);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_parameter_is_checked_for_every_row) {
    // The first row is fine, the second is not: the error names the second row's value.
    const std::string text = "scenario: 1\nid: s\ntitle: t\nrequirements: [PIN-VERIFY-01]\n"
                             "matrix:\n  - {n: '3'}\n  - {n: three}\n"
                             "setup: {card: valid}\nsteps:\n  - tear_after: '{n}'\n";
    const auto ctx = context();
    const auto s = harness::load_scenario_text(text, "rows.yaml", ctx);
    try {
        harness::expand({s}, ctx);
        BOOST_ERROR("expanded a row with tear_after 'three'");
    } catch (const yaml::LoadError& e) {
        BOOST_TEST(e.what() == std::string("rows.yaml:10:17: step 1.tear_after (APDUs) must be a decimal integer, found 'three' "
                                           "(from '{n}' with n=three)"));
    }
}

BOOST_AUTO_TEST_CASE(an_unquoted_parameter_is_a_mapping_and_says_so) {
    // YAML reads tear_after: {n} as a mapping {n: null}; the message says to quote it.
    const std::string text = "scenario: 1\nid: s\ntitle: t\nrequirements: [PIN-VERIFY-01]\n"
                             "matrix: {n: ['3']}\nsetup: {card: valid}\nsteps:\n  - tear_after: {n}\n";
    const auto ctx = context();
    try {
        harness::expand({harness::load_scenario_text(text, "flow.yaml", ctx)}, ctx);
        BOOST_ERROR("loaded");
    } catch (const yaml::LoadError& e) {
        BOOST_TEST(std::string(e.what()).find("flow.yaml:8:17: ") == 0u, e.what());
        BOOST_TEST(std::string(e.what()).find("quote") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()
