// Every byte the mock and the reference reception put on the wire, against recorded files
// (tests/vectors/wire/): each HTTP call's answers (XmlMsg results and both error levels, UTF-8 and
// Shift_JIS), the file interface's answers (.xml, SegmentOfResult 9, .err), face files and the folder
// listing, and the reception's requests. A changed byte is a changed format. MYNASIM_RECORD_WIRE=1 writes
// the files instead of comparing: only to add a case or for a new version of the format, never to "fix" one.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include <unistd.h>

#include "base/file_io.hpp"
#include "client/reception.hpp"
#include "crypto/base64.hpp"
#include "onshi/adapters/file_drop.hpp"
#include "onshi/service/service.hpp"
#include "onshi/store/dataset_loader.hpp"
#include "onshi/wire/charset.hpp"
#include "test_support.hpp"

using namespace mynasim;
namespace fs = std::filesystem;

namespace {

const fs::path recorded_dir = test::source_path("tests/vectors/wire");

bool recording() { return std::getenv("MYNASIM_RECORD_WIRE") != nullptr; }

void expect_recorded(const std::string& name, const std::string& bytes) {
    const fs::path path = recorded_dir / name;
    if (recording()) {
        fs::create_directories(path.parent_path());
        write_file_atomically(path, bytes);
        return;
    }
    const auto recorded = read_file_if_exists(path);
    BOOST_REQUIRE_MESSAGE(recorded, name << " is not recorded (MYNASIM_RECORD_WIRE=1 records it)");
    BOOST_TEST(*recorded == bytes, name);
}

// docs/examples/: one real-shaped file of each kind, for vendors to read; each must be what the mock (or the
// reference reception) writes, byte for byte.
void expect_example(const std::string& name, const std::string& bytes) {
    const fs::path path = fs::path(test::source_path("docs/examples")) / name;
    if (recording()) {
        fs::create_directories(path.parent_path());
        write_file_atomically(path, bytes);
        return;
    }
    const auto example = read_file_if_exists(path);
    BOOST_REQUIRE_MESSAGE(example, "docs/examples/" << name << " is missing (MYNASIM_RECORD_WIRE=1 writes it)");
    BOOST_TEST(*example == bytes, "docs/examples/" << name << " is not what the mock writes");
}

// A folder of its own under the system's temp folder, removed at the end.
struct TempFolder {
    explicit TempFolder(const std::string& what)
        : path(fs::temp_directory_path() / ("mynasim-wire-" + what + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    fs::path path;
};

bool eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

std::string card_fields(const std::string& insurer, const std::string& symbol, const std::string& number,
                        const std::string& birth_date) {
    return "<InsurerNumber>" + insurer + "</InsurerNumber><InsuredCardSymbol>" + symbol + "</InsuredCardSymbol>"
           "<InsuredIdentificationNumber>" + number + "</InsuredIdentificationNumber><InsuredBranchNumber>00"
           "</InsuredBranchNumber><Birthdate>" + birth_date + "</Birthdate>";
}
const std::string card_b = card_fields("06139902", "TEST-B", "2001", "19800101");
const std::string old_card_a = card_fields("06139901", "TEST-A", "1001", "19800101");
const std::string unknown_card = card_fields("06139902", "TEST-B", "2001", "19800102");

std::string confirmation(const std::string& inner) {
    return "<QualificationConfirmationRequest>" + inner + "</QualificationConfirmationRequest>";
}

// A file-interface request as a reception would write it by hand (not by our writer).
std::string xml_msg_request(const std::string& header, const std::string& search, const std::string& declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                            const std::string& limit_consent = "0") {
    return declaration + "<XmlMsg><MessageHeader>" + header + "</MessageHeader><MessageBody><QualificationConfirmSearchInfo>" + search +
           "<LimitApplicationCertificateRelatedConsFlg>" + limit_consent +
           "</LimitApplicationCertificateRelatedConsFlg></QualificationConfirmSearchInfo></MessageBody></XmlMsg>";
}
std::string header_of(const std::string& file_identifier, const std::string& more = {}) {
    return "<MedicalInstitutionCode>9999000001</MedicalInstitutionCode><ArbitraryFileIdentifier>" + file_identifier + "</ArbitraryFileIdentifier>" + more;
}

struct Mock {
    Mock()
        : store(":memory:"),
          verifier(test::shared_pki().ca_certificate(pki::CaId::JpkiAuth), std::nullopt),
          random(5),
          service(store, verifier, [this] { return now; }, random) {
        store.load(onshi::load_dataset(test::source_path("simulator/onshi/data/default-dataset.yaml")));
    }

    onshi::HttpResponse post(const std::string& target, const std::string& body, const std::string& method = "POST") {
        return service.handle(onshi::HttpRequest{method, target, body, "", ""});
    }

    // What the reader sends for a PIN無し confirmation of `profile_name`'s card.
    static std::string pinless(const std::string& profile_name, const std::string& face, const std::string& more = {}) {
        const auto p = profile::load_profile(test::profile_path(profile_name));
        const auto der = test::shared_pki().issue(profile::certificate_spec(p, p.auth_certificate, pki::CertificatePurpose::Auth)).der;
        return confirmation("<ArbitraryFileIdentifier>READER-1</ArbitraryFileIdentifier><Mode>pinless</Mode><Certificate>" +
                            crypto::base64_encode(der) + "</Certificate><FaceResult>" + face +
                            "</FaceResult><InstitutionAuthenticated>1</InstitutionAuthenticated>" + more);
    }

    mynasim::UnixTime now = mynasim::default_reference_time + 3600;  // 10:00 in Japan
    onshi::Store store;
    onshi::CertificateVerifier verifier;
    mynasim::SeededRandom random;
    onshi::Service service;
};

std::string confirmation_id(const onshi::HttpResponse& r) {
    for (const auto& [field, value] : r.headers)
        if (field == "X-Mynasim-Confirmation-Id") return value;
    return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_wire_bytes)

// Each call's answer: body as recorded, status and content type in one index.
BOOST_AUTO_TEST_CASE(service_answers) {
    Mock mock;
    std::string index;
    const auto answer = [&](const std::string& name, const onshi::HttpResponse& r) {
        expect_recorded("service/" + name + ".xml", r.body);
        index += name + " " + std::to_string(r.status) + " " + r.content_type;
        for (const auto& [field, value] : r.headers)
            if (field != "X-Mynasim-Confirmation-Id") index += " " + field + ": " + value;  // the id is random
        index += "\n";
        return r;
    };
    answer("challenge", mock.post("/v2/challenge", ""));
    answer("card", mock.post("/v2/confirmations",
                             confirmation("<ArbitraryFileIdentifier>A&amp;&lt;B&gt;\"'</ArbitraryFileIdentifier><Mode>card</Mode>" + card_b)));
    answer("card-shift-jis", mock.post("/v2/confirmations",
                                       *onshi::utf8_to_shift_jis("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>" +
                                                                 confirmation("<ArbitraryFileIdentifier>受付０００１</ArbitraryFileIdentifier>"
                                                                              "<CharacterCodeIdentifier>1</CharacterCodeIdentifier><Mode>card</Mode>" +
                                                                              card_b))));
    answer("card-newer-qualification", mock.post("/v2/confirmations", confirmation("<Mode>card</Mode>" + old_card_a)));
    answer("card-on-a-date", mock.post("/v2/confirmations",
                                       confirmation("<Mode>card</Mode><QualificationConfirmationDate>20210101</QualificationConfirmationDate>" + old_card_a)));
    answer("error-card-not-found", mock.post("/v2/confirmations",
                                             confirmation("<ArbitraryFileIdentifier>F-9</ArbitraryFileIdentifier><Mode>card</Mode>" + unknown_card)));
    answer("error-card-not-found-shift-jis",
           mock.post("/v2/confirmations", confirmation("<CharacterCodeIdentifier>1</CharacterCodeIdentifier><Mode>card</Mode>" + unknown_card)));
    answer("error-not-xml", mock.post("/v2/confirmations", "<QualificationConfirmationRequest><Mode>"));
    answer("error-bad-mode", mock.post("/v2/confirmations", confirmation("<Mode>x&lt;&amp;y\x07</Mode>")));
    answer("error-charset", mock.post("/v2/confirmations", confirmation("<CharacterCodeIdentifier>2</CharacterCodeIdentifier>")));
    answer("error-not-in-its-encoding",
           mock.post("/v2/confirmations", "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><QualificationConfirmationRequest>\x81"));
    answer("error-method", mock.post("/v2/challenge", "", "GET"));
    answer("error-no-such-call", mock.post("/v2/nothing", ""));
    answer("error-registration-by-card", mock.post("/v2/registrations", confirmation("<Mode>card</Mode>" + card_b)));
    answer("error-pin-without-challenge", mock.post("/v2/confirmations", confirmation("<Mode>pin</Mode>")));
    answer("error-face-result-missing", mock.post("/v2/confirmations", Mock::pinless("valid", "")));
    answer("registration-pinless", mock.post("/v2/registrations", Mock::pinless("unregistered-person", "visual")));
    const auto consented = answer(
        "pinless-with-consent",
        mock.post("/v2/confirmations", Mock::pinless("valid", "matched",
                                                     "<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>"
                                                     "<SpecificHealthCheckupsInfoConsFlg>0</SpecificHealthCheckupsInfoConsFlg>"
                                                     "<LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg>"
                                                     "<PrescriptionIssueSelect>1</PrescriptionIssueSelect>")));
    const std::string id = confirmation_id(consented);
    BOOST_TEST(id.size() == 16);
    answer("error-consent-flag", mock.post("/v2/confirmations", Mock::pinless("valid", "matched", "<PharmacistsInfoConsFlg>9</PharmacistsInfoConsFlg>")));
    answer("medications", mock.post("/v2/medications", "<PharmaceuticalInformationRequest><ArbitraryFileIdentifier>M-1"
                                                       "</ArbitraryFileIdentifier><ConfirmationId>" + id +
                                                       "</ConfirmationId></PharmaceuticalInformationRequest>"));
    answer("error-checkups-refused", mock.post("/v2/checkups", "<SpecificHealthCheckupRequest><ConfirmationId>" + id +
                                                               "</ConfirmationId></SpecificHealthCheckupRequest>"));
    answer("error-medications-without-id", mock.post("/v2/medications", "<PharmaceuticalInformationRequest/>"));
    answer("error-checkups-wrong-root", mock.post("/v2/checkups", "<Wrong/>"));
    const auto checkup_consent = answer(
        "pinless-checkup-consent",
        mock.post("/v2/confirmations", Mock::pinless("valid", "visual", "<SpecificHealthCheckupsInfoConsFlg>1</SpecificHealthCheckupsInfoConsFlg>")));
    answer("checkups", mock.post("/v2/checkups", "<SpecificHealthCheckupRequest><ConfirmationId>" +
                                                     confirmation_id(checkup_consent) +
                                                     "</ConfirmationId></SpecificHealthCheckupRequest>"));
    const auto other_person = answer(
        "pinless-other-person",
        mock.post("/v2/confirmations", Mock::pinless("person-2", "matched", "<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>")));
    answer("medications-none", mock.post("/v2/medications", "<PharmaceuticalInformationRequest><ConfirmationId>" +
                                                                confirmation_id(other_person) +
                                                                "</ConfirmationId></PharmaceuticalInformationRequest>"));
    const auto transfer = [&](const std::string& claim) {
        return mock.post("/v2/claims/transfer", "<ClaimTransferRequest><ArbitraryFileIdentifier>C-1</ArbitraryFileIdentifier><ClaimId>" +
                                                    claim + "</ClaimId></ClaimTransferRequest>");
    };
    answer("claim-transferred", transfer("TEST-CLAIM-0001"));
    answer("claim-already-right", transfer("TEST-CLAIM-0002"));
    answer("error-claim-no-insurer", transfer("TEST-CLAIM-0003"));
    answer("error-claim-unknown", transfer("NO-SUCH-CLAIM"));
    answer("error-claim-without-id", mock.post("/v2/claims/transfer", "<ClaimTransferRequest/>"));
    expect_recorded("service/index.txt", index);
}

// The file interface end to end on a real folder: every file it writes, and what is left where.
BOOST_AUTO_TEST_CASE(file_interface_files) {
    Mock mock;
    TempFolder box("files");
    onshi::Journal journal;
    onshi::FileDropOptions options;
    options.root = box.path;
    options.bulk_ready_after_seconds = 0;
    onshi::FileDrop drop(mock.service, journal, [&] { return mock.now; }, options);
    mock.service.set_reader_observer([&](const onshi::ReaderConfirmation& event) { drop.reader_confirmation(event); });
    drop.start();

    const auto put = [&](const std::string& name, const std::string& content) {
        const fs::path temporary = box.path / "Req" / ("." + name + ".tmp");
        write_file_atomically(temporary, content);
        fs::rename(temporary, box.path / "Req" / name);
    };
    // The answer file once the request has left Req (its answer is complete then).
    const auto answered = [&](const std::string& request, const std::string& answer) {
        BOOST_REQUIRE_MESSAGE(eventually([&] { return !fs::exists(box.path / "Req" / request) && fs::exists(box.path / "Res" / answer); }),
                              request << " was not answered");
        return read_file(box.path / "Res" / answer);
    };
    const auto single = [&](const std::string& id, const std::string& content, bool unreadable = false) {
        const std::string answer = unreadable ? "OQSsiquc01req_" + id + ".err" : "OQSsiquc01res_" + id + ".xml";
        put("OQSsiquc01req_" + id + ".xml", content);
        const std::string text = answered("OQSsiquc01req_" + id + ".xml", answer);
        expect_recorded("files/Res/" + answer, text);
        return text;
    };
    const std::string card = "<InsurerNumber>06139902</InsurerNumber><InsuredCardSymbol>TEST-B</InsuredCardSymbol>"
                             "<InsuredIdentificationNumber>2001</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
                             "<Birthdate>19800101</Birthdate>";
    const std::string kokuho = "<InsurerNumber>  138999</InsurerNumber><InsuredCardSymbol>TEST国保</InsuredCardSymbol>"
                               "<InsuredIdentificationNumber>3002</InsuredIdentificationNumber><InsuredBranchNumber>01</InsuredBranchNumber>"
                               "<Birthdate>19920229</Birthdate>";
    const std::string unknown = "<InsurerNumber>06139902</InsurerNumber><InsuredIdentificationNumber>2001</InsuredIdentificationNumber>"
                                "<InsuredBranchNumber>00</InsuredBranchNumber><Birthdate>19800102</Birthdate>";

    expect_example("Res/OQSsiquc01res_example.xml", single("card", xml_msg_request(header_of("R-1"), card + "<ArbitraryIdentifier>K-1</ArbitraryIdentifier>")));
    expect_example("Res/OQSsiquc01res_example-shift-jis.xml", single("kokuho-shift-jis", onshi::utf8_to_shift_jis_replacing(xml_msg_request(header_of("受付０００２"), kokuho,
                                                                                  "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n"))));
    single("on-a-date", xml_msg_request("<QualificationConfirmationDate>20210101</QualificationConfirmationDate>" + header_of("R-2"),
                                        "<InsurerNumber>06139901</InsurerNumber><InsuredCardSymbol>TEST-A</InsuredCardSymbol>"
                                        "<InsuredIdentificationNumber>1001</InsuredIdentificationNumber><InsuredBranchNumber>00"
                                        "</InsuredBranchNumber><Birthdate>19800101</Birthdate>"));
    expect_example("Res/OQSsiquc01res_example-person-level-error.xml", single("not-found", xml_msg_request(header_of("R-3"), unknown)));
    // The dataset's persons that exercise the result's fields (simulator/onshi/data/default-dataset.yaml).
    const auto card_of = [](const std::string& insurer, const std::string& symbol, const std::string& number, const std::string& branch,
                            const std::string& birth) {
        return "<InsurerNumber>" + insurer + "</InsurerNumber><InsuredCardSymbol>" + symbol + "</InsuredCardSymbol><InsuredIdentificationNumber>" +
               number + "</InsuredIdentificationNumber><InsuredBranchNumber>" + branch + "</InsuredBranchNumber><Birthdate>" + birth +
               "</Birthdate>";
    };
    single("elderly", xml_msg_request(header_of("D-1"), card_of("  138999", "TEST国保", "4101", "00", "19530310")));
    single("preschool-family", xml_msg_request(header_of("D-2"), card_of("06139902", "TEST-B", "2001", "03", "20220610")));
    single("medical-aid", xml_msg_request(header_of("D-3"), card_of("12139999", "", "5101", "00", "19700707")));
    single("medical-aid-unregistered", xml_msg_request(header_of("D-8"), card_of("12139999", "", "5107", "00", "19650505")));
    single("late-elderly", xml_msg_request(header_of("D-9"), card_of("39139999", "", "39001080", "00", "19490520")));
    expect_example("Res/OQSsiquc01res_example-certificates.xml",
                   single("limit-and-diseases", xml_msg_request(header_of("D-4"), card_of("06139902", "TEST-B", "2104", "00", "19800808"),
                                                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "1")));
    single("limit-without-consent", xml_msg_request(header_of("D-7"), card_of("06139902", "TEST-B", "2104", "00", "19800808")));
    single("gaiji-shift-jis", onshi::utf8_to_shift_jis_replacing(xml_msg_request(header_of("D-5"), card_of("06139902", "TEST-B", "2105", "00", "19900909"),
                                                                                 "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n")));
    single("lost", xml_msg_request(header_of("D-6"), card_of("06139901", "TEST-A", "1106", "00", "19551111")));
    expect_example("Res/OQSsiquc01res_example-file-level-error.xml", single("other-institution", xml_msg_request("<MedicalInstitutionCode>1312345678</MedicalInstitutionCode><ArbitraryFileIdentifier>R-4"
                                                "</ArbitraryFileIdentifier>", card)));
    single("no-birthdate", xml_msg_request(header_of("R-5"), "<InsurerNumber>06139902</InsurerNumber>"));
    expect_example("Res/OQSsiquc01req_example-unreadable.err", single("broken", "<XmlMsg><MessageHeader>", true));
    single("wrong-root", "<Other><ArbitraryFileIdentifier>R-6</ArbitraryFileIdentifier></Other>");
    single("not-in-its-encoding", "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\x81", true);
    put("notes.txt", "hello");
    expect_recorded("files/Res/notes.txt.err", answered("notes.txt", "notes.txt.err"));

    // Bulk, both steps, as the reference reception writes them: a list of three (本人, a 未就学 家族, nobody)
    // in Shift_JIS, and 医療扶助 by treatment month in UTF-8.
    const auto reception_number_in = [](const std::string& answer) {
        const auto at = answer.find("<ReceptionNumber>") + 17;
        return answer.substr(at, answer.find('<', at) - at);
    };
    const auto bulk = [&](onshi::BulkFamily family, const onshi::xmlmsg::BulkRequest& request, onshi::xmlmsg::Encoding encoding,
                          const std::string& id, bool example) {
        const auto step1 = onshi::bulk_request_name(family, onshi::RequestKind::BulkSubmission, id);
        const auto step2 = onshi::bulk_request_name(family, onshi::RequestKind::BulkResult, id);
        const std::string list_text = onshi::xmlmsg::write_bulk_request(request, family != onshi::BulkFamily::List, encoding);
        put(step1.request_name, list_text);
        const std::string accepted = answered(step1.request_name, step1.answer_name);
        onshi::xmlmsg::BulkResultRequest ask;
        ask.header.medical_institution_code = "9999000001";
        ask.reception_number = reception_number_in(accepted);
        const std::string ask_text = onshi::xmlmsg::write_bulk_result_request(ask, encoding);
        put(step2.request_name, ask_text);
        const std::string result = answered(step2.request_name, step2.answer_name);
        expect_recorded("files/Res/" + step1.answer_name, accepted);
        expect_recorded("files/Res/" + step2.answer_name, result);
        if (!example) return;
        expect_example("Req/" + step1.request_name, list_text);
        expect_example("Res/" + step1.answer_name, accepted);
        expect_example("Req/" + step2.request_name, ask_text);
        expect_example("Res/" + step2.answer_name, result);
    };
    onshi::xmlmsg::BulkRequest list;
    list.header.medical_institution_code = "9999000001";
    list.header.arbitrary_file_identifier = "一括-1";
    list.searches = {{"06139902", "TEST-B", "2001", "00", "19800101", "0", "K-1"},
                     {"06139902", "TEST-B", "2001", "03", "20220610", "0", "K-2"},
                     {"06139902", "TEST-B", "2001", "00", "19800102", "0", "K-3"}};
    bulk(onshi::BulkFamily::List, list, onshi::xmlmsg::Encoding::ShiftJis, "example", true);
    onshi::xmlmsg::BulkRequest aid;
    aid.header.medical_institution_code = "9999000001";
    aid.header.arbitrary_file_identifier = "扶助-1";
    aid.range.medical_treatment_month = "202604";
    bulk(onshi::BulkFamily::MedicalAid, aid, onshi::xmlmsg::Encoding::Utf8, "medical-aid", false);

    // Face files: a patient confirmed at the reader, one refused (person level: a face file too), and a
    // reader request the system could not process (no face file).
    const auto faces = [&] {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator(box.path / "Face")) ++n;
        return n;
    };
    BOOST_TEST(mock.post("/v2/confirmations", Mock::pinless("valid", "matched", "<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>"
                                                                                 "<PrescriptionIssueSelect>2</PrescriptionIssueSelect>")).status == 200);
    BOOST_REQUIRE(eventually([&] { return faces() == 1; }));
    mock.now += 60;
    BOOST_TEST(mock.post("/v2/confirmations", Mock::pinless("unregistered-person", "visual")).status != 200);
    BOOST_REQUIRE(eventually([&] { return faces() == 2; }));
    BOOST_TEST(mock.post("/v2/registrations", Mock::pinless("valid", "")).status != 200);
    mock.now += 60;
    BOOST_TEST(mock.post("/v2/confirmations", Mock::pinless("person-2", "visual")).status == 200);
    BOOST_REQUIRE(eventually([&] { return faces() == 3; }));

    // 照会番号: registered, then carried by the next answer for that person.
    onshi::xmlmsg::ReferenceRequest reference;
    reference.header.medical_institution_code = "9999000001";
    reference.header.arbitrary_file_identifier = "照会-1";
    reference.registration = {"06139902", "TEST-B", "2001", "00", "19800101", "P-000123", "K-9"};
    const std::string registration = onshi::xmlmsg::write_reference_request(reference, onshi::xmlmsg::Encoding::ShiftJis);
    expect_example("Req/OQSsiimm01req_example.xml", registration);
    put("OQSsiimm01req_example.xml", registration);
    expect_example("Res/OQSsiimm01res_example.xml", answered("OQSsiimm01req_example.xml", "OQSsiimm01res_example.xml"));
    expect_recorded("files/Res/OQSsiquc01res_with-reference-number.xml",
                    single("with-reference-number", xml_msg_request(header_of("R-7"), card)));

    // 薬剤情報 and 特定健診情報 by the card, on the consent of the first visit above (薬剤情報 only).
    onshi::xmlmsg::ViewingRequest viewing;
    viewing.insurer_number = "06139902";
    viewing.insurance_card_symbol = "TEST-B";
    viewing.insured_person_identification_number = "2001";
    viewing.branch_number = "00";
    viewing.medical_institution_code = "9999000001";
    viewing.arbitrary_file_identifier = "YZK-1";
    viewing.start_date = "20260101";
    viewing.end_date = "20260331";
    viewing.file_category = viewing.pr_di_inf_classification = viewing.medical_treatment_flag = "1";
    const std::string drugs = onshi::xmlmsg::write_viewing_request(viewing, onshi::xmlmsg::Encoding::ShiftJis);
    expect_example("Req/YZKsiquc01req_example.xml", drugs);
    put("YZKsiquc01req_example.xml", drugs);
    expect_example("Res/YZKsiquc01res_example.xml", answered("YZKsiquc01req_example.xml", "YZKsiquc01res_example.xml"));
    viewing.start_date.clear();
    viewing.end_date.clear();
    viewing.arbitrary_file_identifier = "TKK-1";
    const std::string checkups = onshi::xmlmsg::write_viewing_request(viewing, onshi::xmlmsg::Encoding::Utf8);
    expect_example("Req/TKKsiquc01req_example.xml", checkups);
    put("TKKsiquc01req_example.xml", checkups);
    expect_example("Res/TKKsiquc01res_example-no-consent.xml", answered("TKKsiquc01req_example.xml", "TKKsiquc01res_example.xml"));
    drop.stop();
    mock.service.set_reader_observer({});

    std::vector<std::string> listing;
    for (const auto& entry : fs::recursive_directory_iterator(box.path)) {
        const std::string relative = fs::relative(entry.path(), box.path).string();
        listing.push_back(relative);
        if (relative.rfind("Face/", 0) == 0) expect_recorded("files/" + relative, read_file(entry.path()));
        if (relative == "Face/OQSsiquc01res_face_9999000001001000001_20260401100000.xml")
            expect_example("Face/OQSsiquc01res_face_9999000001001000001_20260401100000.xml", read_file(entry.path()));
    }
    std::sort(listing.begin(), listing.end());
    std::string text;
    for (const auto& line : listing) text += line + "\n";
    expect_recorded("files/listing.txt", text);
}

// The reference reception's request files (no server: each call times out at once, its request left in Req).
BOOST_AUTO_TEST_CASE(reception_requests) {
    TempFolder box("reception");
    fs::create_directories(box.path / "Req");
    const auto request_of = [&](const client::ReceptionSettings& settings, const std::function<void(client::Reception&)>& call,
                                const std::string& name) {
        client::Reception reception(settings);
        call(reception);
        const fs::path path = box.path / "Req" / name;
        BOOST_REQUIRE_MESSAGE(fs::exists(path), name << " was not written");
        const std::string text = read_file(path);
        fs::remove(path);
        return text;
    };
    client::ReceptionSettings settings;
    settings.folder = box.path;
    settings.timeout = std::chrono::milliseconds(0);
    settings.id = "wire";
    const client::InsuranceCardFields card{"06139902", "TEST-B", "2001", "00", "19800101"};
    const client::InsuranceCardFields no_symbol{"139902", "", "7", "01", "19700101"};  // a 国保 number, sent padded

    const std::string plain = request_of(settings, [&](client::Reception& r) { r.confirm_by_card(card); }, "OQSsiquc01req_wire.xml");
    expect_recorded("reception/card-plain.xml", plain);
    expect_example("Req/OQSsiquc01req_example.xml", plain);
    settings.file_identifier = "RECEPTION-0001 & <co>";
    expect_recorded("reception/card.xml",
                    request_of(settings, [&](client::Reception& r) { r.confirm_by_card(no_symbol, "20260401"); }, "OQSsiquc01req_wire.xml"));
    settings.shift_jis = true;
    settings.file_identifier = "受付０００１";
    const std::string sjis = request_of(settings, [&](client::Reception& r) { r.confirm_by_card(card); }, "OQSsiquc01req_wire.xml");
    expect_recorded("reception/card-shift-jis.xml", sjis);
    expect_example("Req/OQSsiquc01req_example-shift-jis.xml", sjis);
}

BOOST_AUTO_TEST_SUITE_END()
