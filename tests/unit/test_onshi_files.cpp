// File names of the file interface (docs/onshi-files.md): what a name asks for and how answers are called.
#include <boost/test/unit_test.hpp>

#include "onshi/wire/file_names.hpp"

namespace onshi = mynasim::onshi;

BOOST_AUTO_TEST_SUITE(test_onshi_files)

BOOST_AUTO_TEST_CASE(single_and_bulk_requests_name_their_answers) {
    const auto single = onshi::parse_request_file_name("OQSsiquc01req_20260401-0001.xml");
    BOOST_REQUIRE(single);
    BOOST_TEST((single->kind == onshi::FileRequestKind::Single));
    BOOST_TEST(single->id == "20260401-0001");
    BOOST_TEST(single->request_name == "OQSsiquc01req_20260401-0001.xml");
    BOOST_TEST(single->answer_name == "OQSsiquc01res_20260401-0001.xml");
    BOOST_TEST(single->rejection_name == "OQSsiquc01res_20260401-0001.err");
    const auto bulk = onshi::parse_request_file_name("OQSmuquc01req_batch_7.xml");
    BOOST_REQUIRE(bulk);
    BOOST_TEST((bulk->kind == onshi::FileRequestKind::Bulk));
    BOOST_TEST(bulk->answer_name == "OQSmuquc01res_batch_7.xml");
    BOOST_TEST(bulk->rejection_name == "OQSmuquc01res_batch_7.err");
    // the id is kept as written, dots and all
    BOOST_TEST(onshi::parse_request_file_name("OQSsiquc01req_a.b.xml")->answer_name == "OQSsiquc01res_a.b.xml");
}

// The reception names its requests with the same functions the mock reads them with.
BOOST_AUTO_TEST_CASE(requests_are_named_as_they_are_read) {
    for (const auto kind : {onshi::FileRequestKind::Single, onshi::FileRequestKind::Bulk}) {
        const auto built = onshi::file_request_name(kind, "R-1.x");
        const auto parsed = onshi::parse_request_file_name(built.request_name);
        BOOST_REQUIRE(parsed);
        BOOST_TEST((parsed->kind == kind));
        BOOST_TEST(parsed->id == "R-1.x");
        BOOST_TEST(parsed->request_name == built.request_name);
        BOOST_TEST(parsed->answer_name == built.answer_name);
        BOOST_TEST(parsed->rejection_name == built.rejection_name);
    }
    BOOST_TEST(onshi::file_request_name(onshi::FileRequestKind::Single, "7").request_name == "OQSsiquc01req_7.xml");
    BOOST_TEST(onshi::file_request_name(onshi::FileRequestKind::Bulk, "7").request_name == "OQSmuquc01req_7.xml");
    BOOST_TEST(onshi::request_file_name_rule() == "OQSsiquc01req_<id>.xml (single) or OQSmuquc01req_<id>.xml (bulk)");
    BOOST_TEST(std::string(onshi::request_folder) + onshi::answer_folder + onshi::face_folder + onshi::rejected_folder ==
               "ReqResFaceRejected");
}

BOOST_AUTO_TEST_CASE(other_names_are_no_requests) {
    for (const char* name : {"OQSsiquc01req_.xml", "OQSsiquc01req_1.txt", "OQSsiquc01req_1", "OQSsiquc01res_1.xml",
                             "oqssiquc01req_1.xml", "OQSmuquc01req_.xml", "notes.txt", "", "OQSsiquc01req_1.xml.bak",
                             "OQSxxquc01req_1.xml"})
        BOOST_TEST(!onshi::parse_request_file_name(name), name);
}

BOOST_AUTO_TEST_CASE(partial_writes_and_rejections) {
    for (const char* name : {".OQSsiquc01req_1.xml", "OQSsiquc01req_1.xml.tmp", "OQSsiquc01req_1.xml.part", "OQSsiquc01req_1.xml~", ""})
        BOOST_TEST(onshi::is_partial_file_name(name), name);
    BOOST_TEST(!onshi::is_partial_file_name("OQSsiquc01req_1.xml"));
    BOOST_TEST(onshi::rejection_name_for("notes.txt") == "notes.txt.err");
    BOOST_TEST(onshi::rejection_name_for("OQSxx_1.xml") == "OQSxx_1.err");
}

BOOST_AUTO_TEST_CASE(face_names_are_stamped_and_numbered) {
    BOOST_TEST(onshi::face_file_name("20260401093000", 7) == "OQSsiquc01res_face_20260401093000_000007.xml");
    BOOST_TEST(onshi::face_file_name("20260401093000", 1234567) == "OQSsiquc01res_face_20260401093000_234567.xml");
}

BOOST_AUTO_TEST_SUITE_END()
