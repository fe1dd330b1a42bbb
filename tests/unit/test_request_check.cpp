// The request checker (request_check.hpp) on every fixture of tests/data/requests/: each file's findings
// (severity, rule, where) must be exactly those in tests/data/requests/findings.txt, in order.
// MYNASIM_RECORD_FINDINGS=1 writes that file instead of comparing: only for a new fixture or rule.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "base/file_io.hpp"
#include "onshi/wire/request_check.hpp"
#include "onshi/wire/xml_msg_writer.hpp"
#include "test_support.hpp"

using namespace mynasim;
namespace fs = std::filesystem;

namespace {

const fs::path fixtures = test::source_path("tests/data/requests");

onshi::CheckSettings settings() {
    onshi::CheckSettings s;
    s.institution_code = "9999000001";
    return s;
}

std::string lines_of(const onshi::CheckedRequest& checked) {
    std::string text;
    for (const auto& f : checked.findings)
        text += std::string(f.severity == onshi::Severity::Error ? "error" : "warning") + " " + f.rule + " " + f.where + "\n";
    return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_request_check)

BOOST_AUTO_TEST_CASE(every_fixture_has_its_exact_findings) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fixtures))
        if (entry.path().extension() == ".xml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    BOOST_TEST(files.size() >= 40u);
    std::string all;
    for (const auto& file : files) {
        const auto checked = onshi::check_single_request(read_file(file), settings());
        std::string block = lines_of(checked);
        const std::string name = file.filename().string();
        // The name says what the file is: valid (no finding), notice (warnings only), bad (SegmentOfResult 9), unreadable (.err).
        if (name.rfind("valid-", 0) == 0) BOOST_TEST(checked.findings.empty(), name << ":\n" << block);
        if (name.rfind("notice-", 0) == 0) BOOST_TEST((checked.valid() && !checked.findings.empty()), name << ":\n" << block);
        if (name.rfind("bad-", 0) == 0) BOOST_TEST((!checked.valid() && !checked.unreadable()), name << ":\n" << block);
        if (name.rfind("unreadable-", 0) == 0) BOOST_TEST(checked.unreadable(), name << ":\n" << block);
        for (const auto& f : checked.findings) BOOST_TEST(!f.message.empty(), name);
        all += "# " + name + "\n" + block;
    }
    const fs::path expected = fixtures / "findings.txt";
    if (std::getenv("MYNASIM_RECORD_FINDINGS")) {
        write_file_atomically(expected, all);
        return;
    }
    BOOST_TEST(read_file(expected) == all);
}

// A valid request's values are read as written; the writer's request reads back the same.
BOOST_AUTO_TEST_CASE(a_written_request_reads_back_valid) {
    onshi::xmlmsg::SingleRequest request;
    request.header.medical_institution_code = "9999000001";
    request.header.arbitrary_file_identifier = "受付&<1>";
    request.search = {"  138999", "TEST国保", "3002", "01", "19920229", "1", "K-1"};
    for (const auto encoding : {onshi::xmlmsg::Encoding::Utf8, onshi::xmlmsg::Encoding::ShiftJis}) {
        const auto checked = onshi::check_single_request(onshi::xmlmsg::write_request(request, encoding), settings());
        BOOST_TEST(checked.findings.empty(), lines_of(checked));
        BOOST_REQUIRE(checked.request);
        BOOST_TEST((checked.encoding == encoding));
        BOOST_TEST(checked.request->header.arbitrary_file_identifier == "受付&<1>");
        BOOST_TEST(checked.request->search.insurer_number == "  138999");
        BOOST_TEST(checked.request->search.insured_card_symbol == "TEST国保");
        BOOST_TEST(checked.request->search.arbitrary_identifier == "K-1");
    }
}

// What is too large to keep as a fixture: 10 MB, and 10,000 elements deep (refused without recursion).
BOOST_AUTO_TEST_CASE(huge_and_deep_files) {
    const auto big = onshi::check_single_request(std::string(10 * 1024 * 1024, ' '), settings());
    BOOST_TEST(lines_of(big) == "error too-large file\n");
    std::string deep = "<XmlMsg>";
    for (int i = 0; i < 10000; ++i) deep += "<a>";
    for (int i = 0; i < 10000; ++i) deep += "</a>";
    deep += "</XmlMsg>";
    const auto nested = onshi::check_single_request(deep, settings());
    BOOST_TEST(lines_of(nested) == "warning declaration-missing line 1, column 1\nerror too-deep file\n");
}

// Every rule a finding names is in the rule table, with a level, a summary and (errors) an error key.
BOOST_AUTO_TEST_CASE(the_rule_table_is_complete) {
    for (const auto& rule : onshi::request_rules()) {
        BOOST_TEST(!rule.summary.empty(), rule.id);
        BOOST_TEST((rule.level == onshi::FindingLevel::Notice) == rule.error_key.empty(), rule.id);
    }
    BOOST_CHECK_THROW(onshi::request_rule("no-such-rule"), std::out_of_range);
    // docs/file-interface.md lists every rule, so the vendor's reference cannot drift from the code.
    const std::string doc = read_file(test::source_path("docs/file-interface.md"));
    for (const auto& rule : onshi::request_rules())
        BOOST_TEST(doc.find("| `" + std::string(rule.id) + "` |") != std::string::npos, rule.id << " is not in docs/file-interface.md");
}

BOOST_AUTO_TEST_SUITE_END()
