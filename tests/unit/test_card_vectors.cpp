// Runs tests/vectors/card_apdus.txt: each block is a sequence of APDUs on a fresh card and the answers
// the spec requires. Adding a case adds data, not code.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "test_support.hpp"

using namespace mynasim;

namespace {

struct Step {
    int line = 0;
    std::string send;
    std::string expect;
};

struct VectorCase {
    int line = 0;
    std::string name;
    std::string profile;
    std::vector<Step> steps;
};

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<VectorCase> read_vectors(const std::string& path) {
    std::ifstream in(path);
    BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
    std::vector<VectorCase> cases;
    VectorCase current;
    std::string line;
    int number = 0;
    auto flush = [&] {
        if (!current.name.empty() || !current.steps.empty()) cases.push_back(current);
        current = VectorCase{};
    };
    while (std::getline(in, line)) {
        ++number;
        line = trim(line);
        if (line.empty()) {
            flush();
            continue;
        }
        if (line[0] == '#') continue;
        const auto eq = line.find('=');
        BOOST_REQUIRE_MESSAGE(eq != std::string::npos, path << ":" << number << ": expected key = value");
        const std::string key = trim(line.substr(0, eq));
        const std::string value = trim(line.substr(eq + 1));
        if (key == "name") {
            current.name = value;
            current.line = number;
        } else if (key == "profile") {
            current.profile = value;
        } else if (key == "send") {
            const auto arrow = value.find("->");
            Step step{number, trim(value.substr(0, arrow)), arrow == std::string::npos ? "" : trim(value.substr(arrow + 2))};
            current.steps.push_back(step);
        } else {
            BOOST_FAIL(path << ":" << number << ": unknown key '" << key << "'");
        }
    }
    flush();
    return cases;
}

// Checks `response` (data + SW, empty when no answer) against an expectation of the vector format.
std::string mismatch(const std::string& expect, const Bytes& response, bool torn) {
    std::istringstream words(expect);
    std::vector<std::string> tokens;
    for (std::string w; words >> w;) tokens.push_back(w);
    if (tokens.size() == 1 && tokens[0] == "none") return response.empty() && !torn ? "" : "expected no answer";
    if (tokens.size() == 1 && tokens[0] == "torn") return torn ? "" : "expected the card to be torn out";
    if (response.size() < 2) return torn ? "card torn out" : "no answer";
    const std::string sw = to_hex(ByteView(response.data() + response.size() - 2, 2));
    const std::string data = to_hex(ByteView(response.data(), response.size() - 2));
    if (tokens.empty() || tokens.size() > 2) return "malformed expectation";
    if (tokens.back() != sw) return "SW " + sw + ", expected " + tokens.back();
    if (tokens.size() == 1) return data.empty() ? "" : "unexpected data " + data;
    const std::string& d = tokens[0];
    if (d == "*") return data.empty() ? "expected data" : "";
    if (d[0] == '#') {
        const auto n = std::stoul(d.substr(1));
        return data.size() / 2 == n ? "" : "data length " + std::to_string(data.size() / 2) + ", expected " + d.substr(1);
    }
    if (d.size() > 3 && d.substr(d.size() - 3) == "...") {
        const std::string prefix = d.substr(0, d.size() - 3);
        return data.rfind(prefix, 0) == 0 ? "" : "data " + data.substr(0, 40) + " does not start with " + prefix;
    }
    return data == d ? "" : "data " + data + ", expected " + d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_card_vectors)

BOOST_AUTO_TEST_CASE(every_vector_holds) {
    const std::string path = test::source_path("tests/vectors/card_apdus.txt");
    const auto cases = read_vectors(path);
    BOOST_TEST(cases.size() >= 40u);
    std::size_t steps = 0;
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(path << ":" << c.line << ": " << c.name) {
            test::TestCard t(c.profile);
            for (const auto& step : c.steps) {
                ++steps;
                if (step.send == "reset") { card::reset(t.card.state()); continue; }
                if (step.send == "power-off") { card::power_off(t.card.state()); continue; }
                if (step.send == "power-on") { card::power_on(t.card.state()); continue; }
                const auto apdu = parse_hex(step.send);
                BOOST_REQUIRE_MESSAGE(apdu, path << ":" << step.line << ": bad hex");
                const auto outcome = t.card.transmit(*apdu);
                const Bytes response = outcome.response ? outcome.response->encode() : Bytes{};
                const std::string problem = mismatch(step.expect, response, outcome.torn);
                BOOST_CHECK_MESSAGE(problem.empty(), path << ":" << step.line << ": " << step.send << ": " << problem);
            }
        }
    }
    BOOST_TEST_MESSAGE(cases.size() << " vector cases, " << steps << " steps");
}

BOOST_AUTO_TEST_SUITE_END()
