// Scenarios: every shipped scenario loads and expands; every broken scenario in tests/data/bad-scenarios
// fails with the file:line:col and message of its first line; matrix expansion and substitution.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "scenario/matrix_expansion.hpp"
#include "scenario/scenario_loader.hpp"
#include "test_support.hpp"

using namespace mynasim;
namespace fs = std::filesystem;

namespace {

harness::ScenarioContext context() {
    harness::ScenarioContext c;
    c.profile_dir = test::source_path("card-profiles");
    c.requirements = harness::load_requirements(test::source_path("scenarios/requirements.txt"));
    return c;
}

const char* const header = "scenario: 1\nid: s\ntitle: t\nrequirements: [PIN-VERIFY-01]\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(test_scenarios)

BOOST_AUTO_TEST_CASE(shipped_scenarios_load_expand_and_cover_every_requirement) {
    const auto ctx = context();
    const auto scenarios = harness::load_scenarios({test::source_path("scenarios")}, ctx);
    const auto cases = harness::expand(scenarios, ctx);
    BOOST_TEST(cases.size() >= 40u);
    std::set<std::string> ids, cited;
    for (const auto& c : cases) BOOST_TEST(ids.insert(c.id).second, "unique id " << c.id);
    for (const auto& s : scenarios) {
        BOOST_TEST(s.sha256.size() == 64u);
        cited.insert(s.requirements.begin(), s.requirements.end());
    }
    for (const auto& r : ctx.requirements) BOOST_TEST(cited.count(r.id) == 1u, "requirement " << r.id << " is checked by a scenario");
}

BOOST_AUTO_TEST_CASE(every_broken_scenario_fails_at_the_right_place) {
    const auto ctx = context();
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(test::source_path("tests/data/bad-scenarios"))) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    BOOST_TEST(files.size() >= 15u);
    for (const auto& file : files) {
        std::ifstream in(file);
        std::string first;
        std::getline(in, first);
        const std::string marker = "# expect: ";
        BOOST_REQUIRE_MESSAGE(first.rfind(marker, 0) == 0, file << ": first line must be '# expect: L:C: message'");
        const std::string expected = first.substr(marker.size());
        const auto colon1 = expected.find(':');
        const auto colon2 = expected.find(':', colon1 + 1);
        const std::string where = expected.substr(0, colon2);
        const std::string text = expected.size() > colon2 + 2 ? expected.substr(colon2 + 2) : "";
        BOOST_TEST_CONTEXT(file.filename().string()) {
            try {
                harness::expand({harness::load_scenario(file, ctx)}, ctx);
                BOOST_ERROR("loaded without error, expected " << expected);
            } catch (const yaml::LoadError& e) {
                const std::string what = e.what();
                const std::string location = std::to_string(e.where().line) + ":" + std::to_string(e.where().column);
                BOOST_CHECK_MESSAGE(location == where, "location " << location << ", expected " << where << " in: " << what);
                BOOST_CHECK_MESSAGE(what.find(text) != std::string::npos, "message '" << what << "' lacks '" << text << "'");
                BOOST_CHECK_MESSAGE(what.rfind(file.string() + ":", 0) == 0, "message must start with the file: " << what);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(matrix_expands_in_order_with_stable_ids) {
    const auto ctx = context();
    const auto s = harness::load_scenario_text(std::string(header) +
                                                   "matrix: {card: [valid, person-2], pin: ['1234', '0000']}\n"
                                                   "setup: {card: '{card}'}\nsteps:\n  - client: confirm --pin {pin}\n"
                                                   "    expect: {json: {Name: 'x {card}'}}\n",
                                               test::source_path("scenarios/inline.yaml"), ctx);
    const auto cases = harness::expand({s}, ctx);
    BOOST_REQUIRE(cases.size() == 4u);
    BOOST_TEST(cases[0].id == "s[card=valid,pin=1234]");
    BOOST_TEST(cases[1].id == "s[card=valid,pin=0000]");
    BOOST_TEST(cases[3].id == "s[card=person-2,pin=0000]");
    BOOST_TEST(cases[3].setup.profile == "person-2");
    BOOST_TEST((cases[3].steps[0].args == std::vector<std::string>{"confirm", "--pin", "0000"}));
    BOOST_TEST(cases[2].steps[0].expect->json[0].second == "x person-2");
}

BOOST_AUTO_TEST_CASE(matrix_rows_and_multi_word_parameters) {
    const auto ctx = context();
    const auto s = harness::load_scenario_text(std::string(header) +
                                                   "matrix:\n  - {mode: pin, auth: '--pin 1234'}\n  - {mode: face, auth: '--pinless --face visual'}\n"
                                                   "setup: {card: valid}\nsteps:\n  - client: confirm {auth}\n"
                                                   "  - client: [confirm, '{auth}']\n",
                                               test::source_path("scenarios/inline.yaml"), ctx);
    const auto cases = harness::expand({s}, ctx);
    BOOST_REQUIRE(cases.size() == 2u);
    BOOST_TEST(cases[1].id == "s[mode=face,auth=--pinless --face visual]");
    BOOST_TEST((cases[1].steps[0].args == std::vector<std::string>{"confirm", "--pinless", "--face", "visual"}));
    // a list keeps each item as one argument, spaces and all
    BOOST_TEST((cases[1].steps[1].args == std::vector<std::string>{"confirm", "--pinless --face visual"}));
}

BOOST_AUTO_TEST_CASE(duplicate_case_ids_are_refused) {
    const auto ctx = context();
    const std::string text = std::string(header) + "setup: {card: valid}\nsteps: [{remove: {}}]\n";
    const auto a = harness::load_scenario_text(text, "a.yaml", ctx);
    const auto b = harness::load_scenario_text(text, "b.yaml", ctx);
    BOOST_CHECK_THROW(harness::expand({a, b}, ctx), yaml::LoadError);
}

BOOST_AUTO_TEST_CASE(requirements_list_is_strict) {
    const auto dir = fs::temp_directory_path() / ("mynasim-req-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "dup.txt") << "# c\nA-1  spec.md#x  one\nA-1  spec.md#y  two\n";
    std::ofstream(dir / "bad.txt") << "A-1 only-two\n";
    try {
        harness::load_requirements(dir / "dup.txt");
        BOOST_ERROR("duplicate accepted");
    } catch (const yaml::LoadError& e) {
        BOOST_TEST(e.where().line == 3);
    }
    BOOST_CHECK_THROW(harness::load_requirements(dir / "bad.txt"), yaml::LoadError);
    BOOST_TEST(harness::load_requirements(test::source_path("scenarios/requirements.txt")).size() >= 20u);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
