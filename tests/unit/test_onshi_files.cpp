// File names of the file interface (docs/file-interface.md): what a name asks for and how answers are called.
#include <boost/test/unit_test.hpp>

#include "onshi/wire/file_names.hpp"

namespace onshi = mynasim::onshi;

BOOST_AUTO_TEST_SUITE(test_onshi_files)

BOOST_AUTO_TEST_CASE(a_single_request_names_its_answers) {
    const auto single = onshi::parse_request_file_name("OQSsiquc01req_20260401-0001.xml");
    BOOST_REQUIRE(single);
    BOOST_TEST(single->id == "20260401-0001");
    BOOST_TEST(single->request_name == "OQSsiquc01req_20260401-0001.xml");
    BOOST_TEST(single->answer_name == "OQSsiquc01res_20260401-0001.xml");
    BOOST_TEST(single->rejection_name == "OQSsiquc01req_20260401-0001.err");
    // the id is kept as written, dots and all
    BOOST_TEST(onshi::parse_request_file_name("OQSsiquc01req_a.b.xml")->answer_name == "OQSsiquc01res_a.b.xml");
}

// Windows shares: the prefix and suffix in any case; the .err keeps the spelling the reception used.
BOOST_AUTO_TEST_CASE(names_are_matched_in_any_case) {
    const auto lower = onshi::parse_request_file_name("oqssiquc01req_K1.XML");
    BOOST_REQUIRE(lower);
    BOOST_TEST(lower->id == "K1");
    BOOST_TEST(lower->answer_name == "OQSsiquc01res_K1.xml");
    BOOST_TEST(lower->rejection_name == "oqssiquc01req_K1.err");
}

// The reception names its requests with the same functions the mock reads them with.
BOOST_AUTO_TEST_CASE(requests_are_named_as_they_are_read) {
    const auto built = onshi::single_request_name("R-1.x");
    const auto parsed = onshi::parse_request_file_name(built.request_name);
    BOOST_REQUIRE(parsed);
    BOOST_TEST(parsed->id == "R-1.x");
    BOOST_TEST(parsed->request_name == built.request_name);
    BOOST_TEST(parsed->answer_name == built.answer_name);
    BOOST_TEST(parsed->rejection_name == built.rejection_name);
    BOOST_TEST(onshi::single_request_name("7").request_name == "OQSsiquc01req_7.xml");
    BOOST_TEST(onshi::request_file_name_rule() ==
               "OQSsiquc01req_<id>.xml, (OQSmuquc|OQSmuhvq|OQSmuonq|OQSmutic|OQSmuimm)(01|02)req_<id>.xml, OQSsiimm01req_<id>.xml, "
               "YZKsiquc01req_<id>.xml or TKKsiquc01req_<id>.xml");
    BOOST_TEST(std::string(onshi::request_folder) + onshi::answer_folder + onshi::face_folder + onshi::rejected_folder ==
               "ReqResFaceRejected");
}

BOOST_AUTO_TEST_CASE(other_names_are_no_requests) {
    for (const char* name : {"OQSsiquc01req_.xml", "OQSsiquc01req_1.txt", "OQSsiquc01req_1", "OQSsiquc01res_1.xml",
                             "OQSmuquc03req_1.xml", "OQSmuquc01res_1.xml", "OQSsiimm02req_1.xml", "YZKsiquc02req_1.xml", "notes.txt", "", "OQSsiquc01req_1.xml.bak", "OQSxxquc01req_1.xml"})
        BOOST_TEST(!onshi::parse_request_file_name(name), name);
}

// The four bulk families, each in two steps; a result (step 2) may be answered as a ZIP.
BOOST_AUTO_TEST_CASE(bulk_requests_name_their_answers) {
    const auto list = onshi::parse_request_file_name("OQSmuquc01req_B1.xml");
    BOOST_REQUIRE(list);
    BOOST_TEST((list->kind == onshi::RequestKind::BulkSubmission));
    BOOST_TEST((list->family == onshi::BulkFamily::List));
    BOOST_TEST(list->answer_name == "OQSmuquc01res_B1.xml");
    BOOST_TEST(list->rejection_name == "OQSmuquc01req_B1.err");
    BOOST_TEST(list->zip_answer_name.empty());
    const auto result = onshi::parse_request_file_name("oqsmutic02req_R.XML");
    BOOST_REQUIRE(result);
    BOOST_TEST((result->kind == onshi::RequestKind::BulkResult));
    BOOST_TEST((result->family == onshi::BulkFamily::MedicalAid));
    BOOST_TEST(result->answer_name == "OQSmutic02res_R.xml");
    BOOST_TEST(result->zip_answer_name == "OQSmutic02res_R.zip");
    BOOST_TEST(result->rejection_name == "oqsmutic02req_R.err");
    BOOST_TEST(onshi::every_bulk_family().size() == 5u);
    for (const auto family : onshi::every_bulk_family())
        for (const auto kind : {onshi::RequestKind::BulkSubmission, onshi::RequestKind::BulkResult}) {
            const auto built = onshi::bulk_request_name(family, kind, "x");
            const auto parsed = onshi::parse_request_file_name(built.request_name);
            BOOST_REQUIRE(parsed);
            BOOST_TEST((parsed->family == family && parsed->kind == kind));
            BOOST_TEST(parsed->answer_name == built.answer_name);
        }
    BOOST_TEST(onshi::bulk_request_name(onshi::BulkFamily::HomeVisit, onshi::RequestKind::BulkSubmission, "7").request_name ==
               "OQSmuhvq01req_7.xml");
    BOOST_TEST((onshi::bulk_family_named("onq") == onshi::BulkFamily::Online));
    BOOST_TEST((onshi::bulk_family_named("OQSmuquc") == onshi::BulkFamily::List));
    BOOST_TEST(!onshi::bulk_family_named("OQSmuxxx").has_value());
}

BOOST_AUTO_TEST_CASE(viewing_requests_name_their_answers) {
    const auto drugs = onshi::parse_request_file_name("YZKsiquc01req_P-1.xml");
    BOOST_REQUIRE(drugs);
    BOOST_TEST((drugs->kind == onshi::RequestKind::Viewing && drugs->viewing == onshi::ViewingKind::Medications));
    BOOST_TEST(drugs->answer_name == "YZKsiquc01res_P-1.xml");
    BOOST_TEST(drugs->rejection_name == "YZKsiquc01req_P-1.err");
    const auto checkups = onshi::parse_request_file_name("tkksiquc01req_P-2.XML");
    BOOST_REQUIRE(checkups);
    BOOST_TEST((checkups->viewing == onshi::ViewingKind::Checkups));
    BOOST_TEST(checkups->answer_name == "TKKsiquc01res_P-2.xml");
    BOOST_TEST(onshi::viewing_request_name(onshi::ViewingKind::Checkups, "7").request_name == "TKKsiquc01req_7.xml");
}

// 照会番号 registration: a single one, and the bulk family in two steps.
BOOST_AUTO_TEST_CASE(reference_number_registrations_name_their_answers) {
    const auto single = onshi::parse_request_file_name("OQSsiimm01req_R1.xml");
    BOOST_REQUIRE(single);
    BOOST_TEST((single->kind == onshi::RequestKind::ReferenceRegistration));
    BOOST_TEST(single->answer_name == "OQSsiimm01res_R1.xml");
    BOOST_TEST(onshi::reference_request_name("R1").request_name == "OQSsiimm01req_R1.xml");
    const auto bulk = onshi::parse_request_file_name("oqsmuimm02req_R1.XML");
    BOOST_REQUIRE(bulk);
    BOOST_TEST((bulk->kind == onshi::RequestKind::BulkResult && bulk->family == onshi::BulkFamily::ReferenceNumbers));
    BOOST_TEST(bulk->answer_name == "OQSmuimm02res_R1.xml");
    BOOST_TEST((onshi::bulk_family_named("imm") == onshi::BulkFamily::ReferenceNumbers));
}

BOOST_AUTO_TEST_CASE(partial_writes_and_rejections) {
    for (const char* name : {".OQSsiquc01req_1.xml", "OQSsiquc01req_1.xml.tmp", "OQSsiquc01req_1.xml.part", "OQSsiquc01req_1.xml~", "x.TMP", ""})
        BOOST_TEST(onshi::is_partial_file_name(name), name);
    BOOST_TEST(!onshi::is_partial_file_name("OQSsiquc01req_1.xml"));
    BOOST_TEST(onshi::rejection_name_for("notes.txt") == "notes.txt.err");
    BOOST_TEST(onshi::rejection_name_for("OQSxx_1.xml") == "OQSxx_1.err");
}

BOOST_AUTO_TEST_CASE(plain_ids) {
    BOOST_TEST(onshi::is_plain_id("R-1_a.b"));
    for (const char* id : {"my file", "受付1", "a\tb"}) BOOST_TEST(!onshi::is_plain_id(id), id);
}

// The time last, as vendors parse it: OQSsiquc01res_face_.+_(\d{14})\.xml.
BOOST_AUTO_TEST_CASE(face_names_end_with_the_time) {
    BOOST_TEST(onshi::face_file_name("9999000001", 7, "20260401093000") == "OQSsiquc01res_face_9999000001001000007_20260401093000.xml");
    BOOST_TEST(onshi::face_file_name("9999000001", 1234567, "20260401093000") == "OQSsiquc01res_face_9999000001001234567_20260401093000.xml");
}

BOOST_AUTO_TEST_SUITE_END()
