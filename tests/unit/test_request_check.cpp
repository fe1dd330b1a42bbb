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

namespace {

onshi::xmlmsg::SearchInfo card(const std::string& number, const std::string& birth = "19800101") {
    return {"06139902", "TEST-B", number, "00", birth, "0", {}};
}

std::string bulk_list(std::size_t persons) {
    onshi::xmlmsg::BulkRequest request;
    request.header.medical_institution_code = "9999000001";
    request.header.arbitrary_file_identifier = "BULK-1";
    for (std::size_t i = 0; i < persons; ++i) request.searches.push_back(card(std::to_string(1000 + i)));
    return onshi::xmlmsg::write_bulk_request(request, false, onshi::xmlmsg::Encoding::Utf8);
}

std::string range_request(const onshi::xmlmsg::RangeSearch& range) {
    onshi::xmlmsg::BulkRequest request;
    request.header.medical_institution_code = "9999000001";
    request.header.arbitrary_file_identifier = "R";
    request.range = range;
    return onshi::xmlmsg::write_bulk_request(request, true, onshi::xmlmsg::Encoding::Utf8);
}

onshi::CheckedRequest check_bulk(const std::string& text, onshi::BulkFamily family) {
    return onshi::check_request(text, settings(), onshi::RequestKind::BulkSubmission, family);
}

}  // namespace

// A bulk list (OQSmuquc01req): every search checked as a single one's, each named by its position.
BOOST_AUTO_TEST_CASE(a_bulk_list_is_checked_search_by_search) {
    const auto good = check_bulk(bulk_list(3), onshi::BulkFamily::List);
    BOOST_TEST(lines_of(good) == "");
    BOOST_REQUIRE(good.bulk);
    BOOST_TEST(good.bulk->searches.size() == 3u);
    BOOST_TEST(good.bulk->searches[2].insured_identification_number == "1002");
    BOOST_TEST(good.header()->arbitrary_file_identifier == "BULK-1");
    std::string bad = bulk_list(3);
    bad.replace(bad.find("<Birthdate>19800101", bad.find("1001")), 19, "<Birthdate>19800231");
    BOOST_TEST(lines_of(check_bulk(bad, onshi::BulkFamily::List)) ==
               "error date /XmlMsg/MessageBody/QualificationConfirmSearchInfo[2]/Birthdate\n");
    const auto empty = check_bulk(bulk_list(0), onshi::BulkFamily::List);
    BOOST_TEST(lines_of(empty) == "error required /XmlMsg/MessageBody/QualificationConfirmSearchInfo\n");
}

// 10,000 is the spec's limit: 10,001 is refused at file level, and 10,000 fits the bulk size limit.
BOOST_AUTO_TEST_CASE(a_bulk_list_holds_at_most_ten_thousand) {
    const std::string largest = bulk_list(10000);
    BOOST_TEST(largest.size() > 1024u * 1024u);  // more than a single request may be
    BOOST_TEST(lines_of(check_bulk(largest, onshi::BulkFamily::List)) == "");
    const auto over = check_bulk(bulk_list(10001), onshi::BulkFamily::List);
    BOOST_TEST(lines_of(over) == "error too-many-persons /XmlMsg/MessageBody/QualificationConfirmSearchInfo\n");
    BOOST_TEST(onshi::request_rule("too-many-persons").error_key == "too_many_persons");
    // the same bytes as a single request are too large
    BOOST_TEST(lines_of(onshi::check_single_request(largest, settings())) == "error too-large file\n");
}

// The families that search by dates: their own fields, their own MedicalTreatmentFlag.
BOOST_AUTO_TEST_CASE(range_families_search_by_their_own_fields) {
    onshi::xmlmsg::RangeSearch visit;
    visit.consent_date_from = "20260301";
    visit.consent_date_to = "20260331";
    visit.medical_treatment_flag = "2";
    const auto good = check_bulk(range_request(visit), onshi::BulkFamily::HomeVisit);
    BOOST_TEST(lines_of(good) == "");
    BOOST_TEST(good.bulk->range.consent_date_to == "20260331");
    const std::string path = "/XmlMsg/MessageBody/QualificationConfirmSearchInfo/";
    // the online family's flag is 3, not 2
    BOOST_TEST(lines_of(check_bulk(range_request(visit), onshi::BulkFamily::Online)) == "error family-search " + path + "MedicalTreatmentFlag\n");
    auto reversed = visit;
    std::swap(reversed.consent_date_from, reversed.consent_date_to);
    BOOST_TEST(lines_of(check_bulk(range_request(reversed), onshi::BulkFamily::HomeVisit)) == "error date-range " + path + "ConsentDateTo\n");
    auto half = visit;
    half.consent_date_to.clear();
    BOOST_TEST(lines_of(check_bulk(range_request(half), onshi::BulkFamily::HomeVisit)) == "error required " + path + "ConsentDateTo\n");
    onshi::xmlmsg::RangeSearch online;
    online.examination_date_from = "20260301";
    online.examination_date_to = "20260331";
    online.consent_date_from = "20260301";
    online.consent_date_to = "20260331";
    online.medical_treatment_flag = "3";
    BOOST_TEST(lines_of(check_bulk(range_request(online), onshi::BulkFamily::Online)) == "error family-search " + path + "ConsentDateFrom\n");
    online.consent_date_from.clear();
    online.consent_date_to.clear();
    BOOST_TEST(lines_of(check_bulk(range_request(online), onshi::BulkFamily::Online)) == "");
    onshi::xmlmsg::RangeSearch aid;
    aid.medical_treatment_month = "202613";
    BOOST_TEST(lines_of(check_bulk(range_request(aid), onshi::BulkFamily::MedicalAid)) == "error date " + path + "MedicalTreatmentMonth\n");
    aid.medical_treatment_month = "202604";
    BOOST_TEST(lines_of(check_bulk(range_request(aid), onshi::BulkFamily::MedicalAid)) == "");
    aid.medical_treatment_flag = "1";
    BOOST_TEST(lines_of(check_bulk(range_request(aid), onshi::BulkFamily::MedicalAid)) == "error family-search " + path + "MedicalTreatmentFlag\n");
}

// Step 2: the ReceptionNumber, and no warning for the ArbitraryFileIdentifier public receptions leave out.
BOOST_AUTO_TEST_CASE(a_bulk_result_request_names_its_reception_number) {
    onshi::xmlmsg::BulkResultRequest request;
    request.header.medical_institution_code = "9999000001";
    request.reception_number = "202604010900000001";
    const auto text = onshi::xmlmsg::write_bulk_result_request(request, onshi::xmlmsg::Encoding::ShiftJis);
    const auto good = onshi::check_request(text, settings(), onshi::RequestKind::BulkResult);
    BOOST_TEST(lines_of(good) == "");
    BOOST_REQUIRE(good.bulk_result);
    BOOST_TEST(good.bulk_result->reception_number == "202604010900000001");
    BOOST_TEST((good.encoding == onshi::xmlmsg::Encoding::ShiftJis));
    request.reception_number.clear();
    const auto empty = onshi::check_request(onshi::xmlmsg::write_bulk_result_request(request, onshi::xmlmsg::Encoding::Utf8), settings(),
                                            onshi::RequestKind::BulkResult);
    BOOST_TEST(lines_of(empty) == "error required /XmlMsg/MessageBody/ReceptionNumber\n");
    const auto other = onshi::check_request("<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><MedicalInstitutionCode>1312345678"
                                            "</MedicalInstitutionCode></MessageHeader><MessageBody/></XmlMsg>",
                                            settings(), onshi::RequestKind::BulkResult);
    BOOST_TEST(lines_of(other) == "error institution-code /XmlMsg/MessageHeader/MedicalInstitutionCode\nerror required /XmlMsg/MessageBody/ReceptionNumber\n");
}

// 薬剤情報 / 特定健診情報: the card under its own names in the header; the period for 薬剤情報 only.
BOOST_AUTO_TEST_CASE(viewing_requests_name_the_card_their_own_way) {
    onshi::xmlmsg::ViewingRequest request;
    request.medical_institution_code = "9999000001";
    request.insurer_number = "  138999";
    request.insurance_card_symbol = "TEST国保";
    request.insured_person_identification_number = "4101";
    request.branch_number = "00";
    request.arbitrary_file_identifier = "Y-1";
    request.start_date = "20260101";
    request.end_date = "20260331";
    request.file_category = request.pr_di_inf_classification = request.medical_treatment_flag = "1";
    const auto check = [&](const onshi::xmlmsg::ViewingRequest& r, onshi::ViewingKind kind) {
        return onshi::check_request(onshi::xmlmsg::write_viewing_request(r, onshi::xmlmsg::Encoding::ShiftJis), settings(),
                                    onshi::RequestKind::Viewing, onshi::BulkFamily::List, kind);
    };
    const auto good = check(request, onshi::ViewingKind::Medications);
    BOOST_TEST(lines_of(good) == "");
    BOOST_REQUIRE(good.viewing);
    BOOST_TEST(good.viewing->insurer_number == "  138999");
    BOOST_TEST(good.viewing->insured_person_identification_number == "4101");
    // the 特定健診情報 request has no period
    BOOST_TEST(lines_of(check(request, onshi::ViewingKind::Checkups)) ==
               "warning unknown-element /XmlMsg/MessageBody/StartDate\nwarning unknown-element /XmlMsg/MessageBody/EndDate\n");
    auto bad = request;
    bad.end_date = "20251231";
    bad.file_category = "3";
    bad.branch_number = "0";
    BOOST_TEST(lines_of(check(bad, onshi::ViewingKind::Medications)) ==
               "error branch-number /XmlMsg/MessageHeader/BranchNumber\nerror code-value /XmlMsg/MessageBody/FileCategory\n"
               "error date-range /XmlMsg/MessageBody/EndDate\n");
    auto missing = request;
    missing.insured_person_identification_number.clear();
    missing.medical_treatment_flag.clear();
    const std::string text = onshi::xmlmsg::write_viewing_request(missing, onshi::xmlmsg::Encoding::Utf8);
    BOOST_TEST(lines_of(onshi::check_request(text, settings(), onshi::RequestKind::Viewing)) ==
               "error required /XmlMsg/MessageHeader/InsuredPersonIdentificationNumber\nerror required /XmlMsg/MessageBody/MedicalTreatmentFlag\n");
    // the 資格確認 names are not these files' names
    std::string renamed = onshi::xmlmsg::write_viewing_request(request, onshi::xmlmsg::Encoding::Utf8);
    renamed.replace(renamed.find("<BranchNumber>"), 14, "<InsuredBranchNumber>");
    renamed.replace(renamed.find("</BranchNumber>"), 15, "</InsuredBranchNumber>");
    BOOST_TEST(lines_of(onshi::check_request(renamed, settings(), onshi::RequestKind::Viewing)) ==
               "warning unknown-element /XmlMsg/MessageHeader/InsuredBranchNumber\nerror required /XmlMsg/MessageHeader/BranchNumber\n");
}

// 照会番号 registration: the card as a search's, and the number (MODELED limits).
BOOST_AUTO_TEST_CASE(a_reference_registration_is_checked) {
    onshi::xmlmsg::ReferenceRequest request;
    request.header.medical_institution_code = "9999000001";
    request.header.arbitrary_file_identifier = "R";
    request.registration = {"06139902", "TEST-B", "2001", "00", "19800101", "P-1", ""};
    const auto check = [&](const onshi::xmlmsg::ReferenceRequest& r) {
        return onshi::check_request(onshi::xmlmsg::write_reference_request(r, onshi::xmlmsg::Encoding::Utf8), settings(),
                                    onshi::RequestKind::ReferenceRegistration);
    };
    const auto good = check(request);
    BOOST_TEST(lines_of(good) == "");
    BOOST_REQUIRE(good.reference);
    BOOST_TEST(good.reference->registration.reference_number == "P-1");
    auto bad = request;
    bad.registration.reference_number = std::string(21, '9');
    bad.registration.birthdate = "1980-01-01";
    const std::string path = "/XmlMsg/MessageBody/ReferenceNumberRegistrationInfo/";
    BOOST_TEST(lines_of(check(bad)) == "error date " + path + "Birthdate\nerror reference-number " + path + "ReferenceNumber\n");
    // a bulk registration list names each block by its position
    onshi::xmlmsg::BulkRequest list;
    list.header = request.header;
    list.registrations = {request.registration, bad.registration};
    const auto listed = onshi::check_request(onshi::xmlmsg::write_bulk_request(list, false, onshi::xmlmsg::Encoding::Utf8), settings(),
                                             onshi::RequestKind::BulkSubmission, onshi::BulkFamily::ReferenceNumbers);
    BOOST_TEST(lines_of(listed) == "error date /XmlMsg/MessageBody/ReferenceNumberRegistrationInfo[2]/Birthdate\n"
                                   "error reference-number /XmlMsg/MessageBody/ReferenceNumberRegistrationInfo[2]/ReferenceNumber\n");
    BOOST_TEST(listed.bulk->registrations.size() == 2u);
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
