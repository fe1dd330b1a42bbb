// The bulk jobs' book (bulk_job_book.hpp) and the ZIP answers (zip_file.hpp): what is written is read back
// whole, after a "restart" too; a leftover of a cut write is removed; a damaged job file is left alone.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include <unistd.h>

#include "base/file_io.hpp"
#include "base/zip_file.hpp"
#include "onshi/adapters/bulk_job_book.hpp"
#include "test_support.hpp"

using namespace mynasim;
namespace fs = std::filesystem;

namespace {

struct Folder {
    fs::path path = fs::temp_directory_path() / ("mynasim-bulk-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    Folder() { fs::create_directories(path); }
    ~Folder() { fs::remove_all(path); }
    static inline int counter = 0;
};

onshi::BulkJob job_of(const std::string& request_name) {
    onshi::BulkJob job;
    job.family = onshi::BulkFamily::List;
    job.request_name = request_name;
    job.request_sha256 = std::string(64, 'A');
    job.accepted_at = 1775001600;  // 2026-04-01T00:00:00Z
    job.ready_at = job.accepted_at + 10;
    job.confirmation_date = "20260401";
    job.shift_jis = true;
    job.request.header.medical_institution_code = "9999000001";
    job.request.header.arbitrary_file_identifier = "外字●";
    job.request.searches.push_back({"  138999", "TEST国保", "4101", "00", "19530310", "1", "A-1"});
    job.request.searches.push_back({"06139902", "", "2001", "00", "19800101", "0", ""});
    return job;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_bulk_jobs)

BOOST_AUTO_TEST_CASE(a_job_survives_a_restart_whole) {
    Folder folder;
    std::string number;
    {
        onshi::BulkJobBook book(folder.path, 3600);
        book.open(1775001600);
        number = book.add(job_of("OQSmuquc01req_A.xml")).reception_number;
        BOOST_TEST(number == "202604010900000001");  // Japan time of acceptance and a sequence (MODELED)
        BOOST_TEST(book.add(job_of("OQSmuquc01req_B.xml")).reception_number == "202604010900000002");
    }
    onshi::BulkJobBook again(folder.path, 3600);
    again.open(1775001600 + 60);
    BOOST_TEST(again.size() == 2u);
    const auto* job = again.find(number);
    BOOST_REQUIRE(job);
    BOOST_TEST(job->request_name == "OQSmuquc01req_A.xml");
    BOOST_TEST(job->request.searches.empty());  // the list stays on disk until step 2 asks
    BOOST_TEST(again.find_request("OQSmuquc01req_A.xml", std::string(64, 'A')) == job);
    const auto whole = again.whole(*job);
    BOOST_TEST(whole.request.searches.size() == 2u);
    job = &whole;
    BOOST_TEST(job->request.searches[0].insurer_number == "  138999");  // the padding kept
    BOOST_TEST(job->request.searches[0].arbitrary_identifier == "A-1");
    BOOST_TEST(job->request.header.arbitrary_file_identifier == "外字●");
    BOOST_TEST(job->shift_jis);
    BOOST_TEST(job->ready_at == job->accepted_at + 10);
    BOOST_TEST(!again.find_request("OQSmuquc01req_A.xml", std::string(64, 'B')));
    BOOST_TEST(!again.find("202604010900000009"));
    // numbers go on after a restart: none is given twice
    BOOST_TEST(again.add(job_of("OQSmuquc01req_C.xml")).reception_number == "202604010900000003");
}

BOOST_AUTO_TEST_CASE(leftovers_and_damaged_files) {
    Folder folder;
    {
        onshi::BulkJobBook book(folder.path, 3600);
        book.open(1775001600);
        book.add(job_of("OQSmuquc01req_A.xml"));
    }
    write_file_atomically(folder.path / ".202604010900000002.json.tmp", "{\"reception_n");  // a write cut by a crash
    write_file_atomically(folder.path / "202604010900000003.json", "{\"reception_number\": 7}");
    onshi::BulkJobBook book(folder.path, 3600);
    book.open(1775001600);
    BOOST_TEST(book.size() == 1u);
    BOOST_TEST(!fs::exists(folder.path / ".202604010900000002.json.tmp"));
    BOOST_TEST(fs::exists(folder.path / "202604010900000003.json"));  // not ours to delete: reported, left alone
    // a job older than the book keeps them is forgotten
    onshi::BulkJobBook later(folder.path, 3600);
    later.open(1775001600 + 3601);
    BOOST_TEST(later.size() == 0u);
    BOOST_CHECK_THROW(onshi::BulkJobBook::from_json("{\"family\": \"OQSmuimm\"}"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_zip_answer_holds_the_xml) {
    Folder folder;
    const std::string xml = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<XmlMsg>" + std::string(100000, 'x') + "</XmlMsg>";
    write_zip_atomically(folder.path / "OQSmuquc02res_1.zip", "OQSmuquc02res_1.xml", xml);
    BOOST_TEST(!fs::exists(folder.path / ".OQSmuquc02res_1.zip.tmp"));
    BOOST_TEST(fs::file_size(folder.path / "OQSmuquc02res_1.zip") < 10000u);  // deflated
    const auto entry = read_zip_entry(folder.path / "OQSmuquc02res_1.zip", ".XML");
    BOOST_REQUIRE(entry);
    BOOST_TEST(entry->name == "OQSmuquc02res_1.xml");
    BOOST_TEST(entry->content == xml);
    BOOST_TEST(!read_zip_entry(folder.path / "absent.zip", ".xml"));
    write_file_atomically(folder.path / "bad.zip", "PK\x03\x04 not really");
    BOOST_CHECK_THROW(read_zip_entry(folder.path / "bad.zip", ".xml"), std::runtime_error);
    BOOST_CHECK_THROW(read_zip_entry(folder.path / "OQSmuquc02res_1.zip", ".csv"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
