// The mock server's calls, in-process (no sockets): challenge, confirmation by PIN, PIN無し and
// insurance card, 初回登録, and every error path, against the default dataset and real card sessions.
#include <boost/test/unit_test.hpp>

#include <pugixml.hpp>

#include "crypto/base64.hpp"
#include "onshi/wire/charset.hpp"
#include "onshi/store/dataset_loader.hpp"
#include "onshi/service/service.hpp"
#include "runner/card_session.hpp"
#include "test_support.hpp"

using namespace mynasim;

namespace {

struct Fixture {
    Fixture()
        : store(":memory:"),
          verifier(test::shared_pki().ca_certificate(pki::CaId::JpkiAuth),
                   test::shared_pki().crl(pki::CaId::JpkiAuth, {{"0x1004", mynasim::default_reference_time - 86400}},
                                          mynasim::default_reference_time, mynasim::default_reference_time + 86400 * 365)),
          random(5),
          service(store, verifier, [this] { return now; }, random) {
        store.load(onshi::load_dataset(test::source_path("simulator/onshi/data/default-dataset.yaml")));
    }

    onshi::HttpResponse post(const std::string& target, const std::string& body = {}) {
        return service.handle(onshi::HttpRequest{"POST", target, body, "", ""});
    }

    std::string new_challenge() {
        const auto r = post("/v2/challenge");
        BOOST_REQUIRE(r.status == 200);
        pugi::xml_document doc;
        doc.load_string(r.body.c_str());
        return doc.child("ChallengeResponse").child_value("Challenge");
    }

    // What a client sends after a PIN session with `profile_name`'s card over `challenge`.
    std::string pin_request(const std::string& profile_name, const std::string& challenge, const char* sign_over = nullptr) {
        test::TestCard card(profile_name);
        const auto p = profile::load_profile(test::profile_path(profile_name));
        const Bytes to_sign = sign_over ? bytes_of(sign_over) : *parse_hex(challenge);
        const auto session = harness::run_card_session(card.card, p.auth_pin, to_sign,
                                                       test::shared_pki().ca_certificate(pki::CaId::JpkiAuth));
        return "<QualificationConfirmationRequest><ArbitraryFileIdentifier>F-1</ArbitraryFileIdentifier>"
               "<Mode>pin</Mode><Certificate>" + crypto::base64_encode(session.certificate) + "</Certificate>"
               "<Challenge>" + challenge + "</Challenge><Signature>" + crypto::base64_encode(session.signature) +
               "</Signature></QualificationConfirmationRequest>";
    }

    std::string pinless_request(const std::string& profile_name, const std::string& face, const std::string& institution) {
        const auto p = profile::load_profile(test::profile_path(profile_name));
        const auto der = test::shared_pki().issue(profile::certificate_spec(p, p.auth_certificate, pki::CertificatePurpose::Auth)).der;
        return "<QualificationConfirmationRequest><Mode>pinless</Mode><Certificate>" + crypto::base64_encode(der) +
               "</Certificate><FaceResult>" + face + "</FaceResult><InstitutionAuthenticated>" + institution +
               "</InstitutionAuthenticated></QualificationConfirmationRequest>";
    }

    // A PIN無し confirmation of `profile_name`'s card with `extra` elements (consent flags, the visit's kind).
    onshi::HttpResponse confirm_pinless(const std::string& profile_name, const std::string& extra) {
        std::string request = pinless_request(profile_name, "matched", "1");
        request.replace(request.find("</QualificationConfirmationRequest>"), 0, extra);
        return post("/v2/confirmations", request);
    }

    // 薬剤情報 of the visit a confirmation answered (its X-Mynasim-Confirmation-Id).
    onshi::HttpResponse medications_of(const onshi::HttpResponse& confirmation) {
        std::string id;
        for (const auto& [name, value] : confirmation.headers)
            if (name == "X-Mynasim-Confirmation-Id") id = value;
        return post("/v2/medications", "<PharmaceuticalInformationRequest><ConfirmationId>" + id + "</ConfirmationId></PharmaceuticalInformationRequest>");
    }

    mynasim::UnixTime now = mynasim::default_reference_time + 9 * 3600;
    onshi::Store store;
    onshi::CertificateVerifier verifier;
    mynasim::SeededRandom random;
    onshi::Service service;
};

// An XmlMsg answer's MessageBody (its header: header_of).
pugi::xml_node answer(pugi::xml_document& doc, const onshi::HttpResponse& r) {
    BOOST_REQUIRE_MESSAGE(doc.load_string(r.body.c_str()), r.body);
    BOOST_REQUIRE_MESSAGE(doc.child("XmlMsg"), r.body);
    return doc.child("XmlMsg").child("MessageBody");
}

pugi::xml_node header_of(pugi::xml_document& doc, const onshi::HttpResponse& r) {
    answer(doc, r);
    return doc.child("XmlMsg").child("MessageHeader");
}

// The error at either level: the header's ErrorCode (file) or the body's ProcessingResultCode (person).
std::string error_code(const onshi::HttpResponse& r) {
    pugi::xml_document doc;
    const auto body = answer(doc, r);
    const std::string file_level = doc.child("XmlMsg").child("MessageHeader").child_value("ErrorCode");
    return file_level.empty() ? body.child_value("ProcessingResultCode") : file_level;
}

std::string http_header(const onshi::HttpResponse& r, const std::string& field) {
    for (const auto& [name, value] : r.headers)
        if (name == field) return value;
    return {};
}

std::string code_of(const char* key) { return onshi::ErrorTable::builtin().at(key).code; }

// The ErrorCode of a 薬剤情報 answer (empty on success).
std::string viewing_error(const onshi::HttpResponse& r) {
    pugi::xml_document doc;
    BOOST_REQUIRE_MESSAGE(doc.load_string(r.body.c_str()), r.body);
    return doc.child("PharmaceuticalInformationResponse").child_value("ErrorCode");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(test_onshi_service, Fixture)

BOOST_AUTO_TEST_CASE(pin_confirmation_returns_the_current_qualification) {
    const auto r = post("/v2/confirmations", pin_request("valid", new_challenge()));
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document doc;
    const auto root = answer(doc, r);
    const auto header = doc.child("XmlMsg").child("MessageHeader");
    BOOST_TEST(std::string(header.child_value("ArbitraryFileIdentifier")) == "F-1");
    BOOST_TEST(std::string(header.child_value("SegmentOfResult")) == "1");
    BOOST_TEST(std::string(header.child_value("ReferenceClassification")) == "1");
    BOOST_TEST(std::string(header.child_value("MedicalInstitutionCode")) == "9999000001");
    BOOST_TEST(std::string(header.child_value("ProcessExecutionTime")) == "20260401180000");  // 09:00 UTC is 18:00 in Japan
    BOOST_TEST(std::string(root.child_value("ProcessingResultStatus")) == "1");
    BOOST_TEST(std::string(root.child_value("QualificationValidity")) == "1");
    const auto item = root.child("ResultList").child("ResultOfQualificationConfirmation");
    BOOST_TEST(std::string(item.child_value("Name")) == "テスト 太郎");
    BOOST_TEST(std::string(item.child_value("NameKana")) == "ﾃｽﾄ ﾀﾛｳ");
    BOOST_TEST(std::string(item.child_value("InsurerNumber")) == "06139902");
    BOOST_TEST(std::string(item.child_value("InsuredCardSymbol")) == "TEST-B");
    BOOST_TEST(std::string(item.child_value("InsuredIdentificationNumber")) == "2001");
    BOOST_TEST(std::string(item.child_value("InsuredBranchNumber")) == "00");
    BOOST_TEST(std::string(item.child_value("InsuredCardValidDate")) == "20220401");
    BOOST_TEST(std::string(item.child_value("Birthdate")) == "19800101");
    BOOST_TEST(std::string(item.child_value("InsuredPartialContributionRatio")) == "030");
}

BOOST_AUTO_TEST_CASE(renewed_certificate_resolves_the_same_person) {
    const auto r = post("/v2/confirmations", pin_request("renewed-auth-cert", new_challenge()));
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document doc;
    BOOST_TEST(std::string(answer(doc, r).child("ResultList").first_child().child_value("Name")) == "テスト 太郎");
}

BOOST_AUTO_TEST_CASE(challenges_are_single_use_and_expire) {
    const std::string challenge = new_challenge();
    const std::string request = pin_request("valid", challenge);
    BOOST_TEST(post("/v2/confirmations", request).status == 200);
    const auto replay = post("/v2/confirmations", request);
    BOOST_TEST(replay.status == 401);
    BOOST_TEST(error_code(replay) == code_of("challenge_replayed"));
    BOOST_TEST(error_code(post("/v2/confirmations", pin_request("valid", "00112233445566778899AABBCCDDEEFF"))) ==
               code_of("challenge_unknown"));
    const std::string late = new_challenge();
    now += onshi::Service::challenge_lifetime_seconds + 1;
    BOOST_TEST(error_code(post("/v2/confirmations", pin_request("valid", late))) == code_of("challenge_expired"));
}

BOOST_AUTO_TEST_CASE(a_signature_over_something_else_is_refused) {
    const auto r = post("/v2/confirmations", pin_request("valid", new_challenge(), "not the challenge"));
    BOOST_TEST(r.status == 401);
    BOOST_TEST(error_code(r) == code_of("signature_invalid"));
}

BOOST_AUTO_TEST_CASE(certificate_errors_come_from_the_table) {
    for (const auto& [profile_name, key] :
         std::vector<std::pair<const char*, const char*>>{{"expired-auth-cert", "certificate_expired"},
                                                          {"not-yet-valid-auth-cert", "certificate_not_yet_valid"},
                                                          {"revoked-auth-cert", "certificate_revoked"},
                                                          {"unknown-issuer-auth-cert", "certificate_unknown_issuer"},
                                                          {"bad-signature-auth-cert", "certificate_bad_signature"}}) {
        const auto r = post("/v2/confirmations", pinless_request(profile_name, "matched", "1"));
        BOOST_TEST(r.status == onshi::ErrorTable::builtin().at(key).http_status, profile_name);
        BOOST_TEST(error_code(r) == code_of(key), profile_name);
        // A person's lookup failed: the file was fine (SegmentOfResult 1), the person's status is 2.
        pugi::xml_document doc;
        BOOST_TEST(std::string(header_of(doc, r).child_value("SegmentOfResult")) == "1");
        BOOST_TEST(std::string(doc.child("XmlMsg").child("MessageBody").child_value("ProcessingResultStatus")) == "2");
    }
}

BOOST_AUTO_TEST_CASE(registration_comes_before_confirmation) {
    auto r = post("/v2/confirmations", pin_request("unregistered-person", new_challenge()));
    BOOST_TEST(r.status == 403);
    BOOST_TEST(error_code(r) == code_of("not_registered"));
    r = post("/v2/registrations", pin_request("unregistered-person", new_challenge()));
    BOOST_TEST(r.status == 200, r.body);
    r = post("/v2/registrations", pin_request("unregistered-person", new_challenge()));  // idempotent
    BOOST_TEST(r.status == 200);
    r = post("/v2/confirmations", pinless_request("unregistered-person", "visual", "1"));
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document doc;
    BOOST_TEST(std::string(answer(doc, r).child("ResultList").first_child().child_value("Name")) == "テスト 次郎");
}

BOOST_AUTO_TEST_CASE(pinless_needs_a_face_result_and_tokutei_kikan_authentication) {
    BOOST_TEST(error_code(post("/v2/confirmations", pinless_request("valid", "", "1"))) == code_of("face_result_missing"));
    BOOST_TEST(error_code(post("/v2/confirmations", pinless_request("valid", "maybe", "1"))) == code_of("face_result_missing"));
    BOOST_TEST(error_code(post("/v2/confirmations", pinless_request("valid", "matched", ""))) ==
               code_of("institution_auth_missing"));
    BOOST_TEST(post("/v2/confirmations", pinless_request("valid", "matched", "1")).status == 200);
    BOOST_TEST(post("/v2/confirmations", pinless_request("person-2", "visual", "1")).status == 200);
}

BOOST_AUTO_TEST_CASE(insurance_card_path) {
    const std::string old_card = "<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>06139901</InsurerNumber>"
                                 "<InsuredCardSymbol>TEST-A</InsuredCardSymbol><InsuredIdentificationNumber>1001"
                                 "</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
                                 "<Birthdate>19800101</Birthdate></QualificationConfirmationRequest>";
    auto r = post("/v2/confirmations", old_card);
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document doc;
    auto root = answer(doc, r);
    BOOST_TEST(std::string(root.child_value("QualificationValidity")) == "3");  // lost, a newer one exists
    std::string wrong_birth = old_card;
    wrong_birth.replace(wrong_birth.find("19800101"), 8, "19800102");
    r = post("/v2/confirmations", wrong_birth);
    BOOST_TEST(r.status == 404);
    BOOST_TEST(error_code(r) == code_of("card_not_found"));
    std::string in_2021 = old_card;
    in_2021.replace(in_2021.find("<Mode>"), 0, "<QualificationConfirmationDate>20210101</QualificationConfirmationDate>");
    r = post("/v2/confirmations", in_2021);
    pugi::xml_document doc2;
    BOOST_TEST(std::string(answer(doc2, r).child_value("QualificationValidity")) == "1");
}

// What XML allows around a value reads the same: CDATA, comments, character references, layout, unknown
// elements with children. A value is its element's first text.
BOOST_AUTO_TEST_CASE(a_request_reads_the_same_in_any_xml_form) {
    const std::string forms[] = {
        "<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>06139901</InsurerNumber><InsuredCardSymbol>TEST-A"
        "</InsuredCardSymbol><InsuredIdentificationNumber>1001</InsuredIdentificationNumber><InsuredBranchNumber>00"
        "</InsuredBranchNumber><Birthdate>19800101</Birthdate></QualificationConfirmationRequest>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a reception system -->\n<QualificationConfirmationRequest>\n"
        "  <Unknown><Nested>x</Nested></Unknown>\n  <Mode><![CDATA[card]]></Mode>\n"
        "  <InsurerNumber><!-- insurer -->06139901</InsurerNumber>\n  <InsuredCardSymbol>TEST&#x2D;A</InsuredCardSymbol>\n"
        "  <InsuredIdentificationNumber>&#49;001</InsuredIdentificationNumber>\n  <InsuredBranchNumber>00</InsuredBranchNumber>\n"
        "  <Birthdate>19800101</Birthdate>\n  <Birthdate>19990101</Birthdate>\n</QualificationConfirmationRequest>\n",
    };
    for (const auto& form : forms) {
        const auto r = post("/v2/confirmations", form);
        BOOST_TEST(r.status == 200, r.body);
        pugi::xml_document doc;
        const auto root = answer(doc, r);
        BOOST_TEST(std::string(root.child_value("QualificationValidity")) == "3");
        BOOST_TEST(std::string(root.child("ResultList").first_child().child_value("InsuredCardSymbol")) == "TEST-A");
    }
    // Text after a child element is not part of the value: "10" is no card number here.
    const auto split = post("/v2/confirmations",
                            "<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>06139901</InsurerNumber>"
                            "<InsuredCardSymbol>TEST-A</InsuredCardSymbol><InsuredIdentificationNumber>10<b/>01"
                            "</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
                            "<Birthdate>19800101</Birthdate></QualificationConfirmationRequest>");
    BOOST_TEST(split.status == 404);
    BOOST_TEST(error_code(split) == code_of("card_not_found"));
}

BOOST_AUTO_TEST_CASE(bad_requests_get_clear_errors) {
    auto r = post("/v2/confirmations", "<QualificationConfirmationRequest><Mode>pin");
    BOOST_TEST(r.status == 400);
    BOOST_TEST(error_code(r) == code_of("malformed_request"));
    BOOST_TEST(http_header(r, "X-Mynasim-Detail").find("XML:") == 0u);
    pugi::xml_document doc;
    BOOST_TEST(std::string(header_of(doc, r).child_value("SegmentOfResult")) == "9");  // the request could not be processed
    BOOST_TEST(error_code(post("/v2/confirmations", "<Other/>")) == code_of("malformed_request"));
    BOOST_TEST(error_code(post("/v2/confirmations", "<QualificationConfirmationRequest><Mode>x</Mode></QualificationConfirmationRequest>")) ==
               code_of("malformed_request"));
    BOOST_TEST(error_code(post("/v2/confirmations", "<QualificationConfirmationRequest><CharacterCodeIdentifier>7"
                                                    "</CharacterCodeIdentifier><Mode>pin</Mode></QualificationConfirmationRequest>")) ==
               code_of("unsupported_charset"));
    BOOST_TEST(error_code(post("/v2/confirmations", "<QualificationConfirmationRequest><Mode>pinless</Mode><FaceResult>matched"
                                                    "</FaceResult><InstitutionAuthenticated>1</InstitutionAuthenticated>"
                                                    "<Certificate>!!!</Certificate></QualificationConfirmationRequest>")) ==
               code_of("certificate_malformed"));
    BOOST_TEST(service.handle({"GET", "/v2/challenge", "", "", ""}).status == 405);
    BOOST_TEST(post("/v2/nothing").status == 404);
    BOOST_TEST(post("/v2/confirmations", "").status == 400);
}

BOOST_AUTO_TEST_CASE(medication_and_checkup_views_need_consent_for_the_visit) {
    std::string request = pinless_request("valid", "matched", "1");
    request.replace(request.find("</QualificationConfirmationRequest>"), 0,
                    "<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>"
                    "<SpecificHealthCheckupsInfoConsFlg>0</SpecificHealthCheckupsInfoConsFlg>");
    auto r = post("/v2/confirmations", request);
    BOOST_REQUIRE(r.status == 200);
    pugi::xml_document doc;
    const auto item = answer(doc, r).child("ResultList").child("ResultOfQualificationConfirmation");
    BOOST_TEST(std::string(item.child_value("PharmacistsInfoConsFlg")) == "1");
    BOOST_TEST(std::string(item.child_value("PharmacistsInfoConsTime")) == "20260401180000");
    BOOST_TEST(std::string(item.child_value("PharmacistsInfoAvailableTime")) == "20260402180000");  // 24 hours
    BOOST_TEST(std::string(item.child_value("SpecificHealthCheckupsInfoConsFlg")) == "0");
    BOOST_TEST(std::string(item.child_value("SpecificHealthCheckupsInfoAvailableTime")).empty());
    const std::string id = http_header(r, "X-Mynasim-Confirmation-Id");
    BOOST_REQUIRE(id.size() == 16u);
    r = post("/v2/medications", "<PharmaceuticalInformationRequest><ConfirmationId>" + id + "</ConfirmationId></PharmaceuticalInformationRequest>");
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document meds;
    BOOST_REQUIRE(meds.load_string(r.body.c_str()));
    BOOST_TEST(std::string(meds.child("PharmaceuticalInformationResponse").child("PharmaceuticalList").child("Pharmaceutical").child_value("DrugName")) ==
               "TESTロキソプロフェン錠60mg");
    r = post("/v2/checkups", "<SpecificHealthCheckupRequest><ConfirmationId>" + id + "</ConfirmationId></SpecificHealthCheckupRequest>");
    BOOST_TEST(r.status == 403);
    pugi::xml_document refused;
    BOOST_REQUIRE(refused.load_string(r.body.c_str()));
    BOOST_TEST(std::string(refused.child("SpecificHealthCheckupResponse").child_value("ErrorCode")) == code_of("consent_missing"));
    r = post("/v2/medications", "<PharmaceuticalInformationRequest><ConfirmationId>0000000000000000</ConfirmationId></PharmaceuticalInformationRequest>");
    BOOST_TEST(r.status == 403);
    BOOST_TEST(post("/v2/medications", "<PharmaceuticalInformationRequest/>").status == 400);
    BOOST_TEST(post("/v2/checkups", "<Wrong/>").status == 400);
    // A confirmation without consent flags records nothing to view.
    r = post("/v2/confirmations", pinless_request("valid", "matched", "1"));
    const std::string other = http_header(r, "X-Mynasim-Confirmation-Id");
    BOOST_TEST(post("/v2/medications", "<PharmaceuticalInformationRequest><ConfirmationId>" + other +
                                           "</ConfirmationId></PharmaceuticalInformationRequest>").status == 403);
    std::string bad_flag = pinless_request("valid", "matched", "1");
    bad_flag.replace(bad_flag.find("</QualificationConfirmationRequest>"), 0, "<PharmacistsInfoConsFlg>7</PharmacistsInfoConsFlg>");
    BOOST_TEST(error_code(post("/v2/confirmations", bad_flag)) == code_of("malformed_request"));
}

// A consent holds 24 hours on the server's clock; flags 2 and 3 only for the visits the table names.
BOOST_AUTO_TEST_CASE(consent_window_and_the_visit_kind) {
    const auto confirm = [this](const std::string& flags) { return confirm_pinless("valid", flags); };
    const auto view = [this](const onshi::HttpResponse& confirmation) { return medications_of(confirmation); };
    const auto visit = confirm("<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>");
    BOOST_REQUIRE(visit.status == 200);
    const auto given = now;
    now = given + 24 * 3600;
    BOOST_TEST(view(visit).status == 200);  // the 24th hour still holds
    now = given + 24 * 3600 + 1;
    BOOST_TEST(viewing_error(view(visit)) == code_of("consent_expired"));
    now = given;
    // 3 同意取得困難 at 救急: viewed (救急時医療情報閲覧), its AvailableTime set; elsewhere refused at the file level.
    const auto emergency = confirm("<PharmacistsInfoConsFlg>3</PharmacistsInfoConsFlg><MedicalTreatmentFlag>4</MedicalTreatmentFlag>");
    BOOST_REQUIRE(emergency.status == 200);
    pugi::xml_document doc;
    BOOST_TEST(std::string(answer(doc, emergency).child("ResultList").child("ResultOfQualificationConfirmation").child_value("PharmacistsInfoAvailableTime")) ==
               "20260402180000");  // Japan's clock, 24 hours on
    BOOST_TEST(view(emergency).status == 200);
    const auto outpatient = confirm("<PharmacistsInfoConsFlg>3</PharmacistsInfoConsFlg>");
    BOOST_TEST(outpatient.status == 400);
    BOOST_TEST(error_code(outpatient) == code_of("consent_flag_not_allowed"));
    BOOST_TEST(http_header(outpatient, "X-Mynasim-Detail").find("MedicalTreatmentFlag 4") != std::string::npos);
    // 2 同意有効期限切れ at 訪問診療: accepted, shown as given, nothing to view.
    const auto home = confirm("<PharmacistsInfoConsFlg>2</PharmacistsInfoConsFlg><MedicalTreatmentFlag>2</MedicalTreatmentFlag>");
    BOOST_REQUIRE(home.status == 200);
    pugi::xml_document home_doc;
    const auto item = answer(home_doc, home).child("ResultList").child("ResultOfQualificationConfirmation");
    BOOST_TEST(std::string(item.child_value("PharmacistsInfoConsFlg")) == "2");
    BOOST_TEST(std::string(item.child_value("PharmacistsInfoAvailableTime")).empty());
    BOOST_TEST(viewing_error(view(home)) == code_of("consent_missing"));
    BOOST_TEST(error_code(confirm("<DiagnosisInfoConsFlg>2</DiagnosisInfoConsFlg><MedicalTreatmentFlag>4</MedicalTreatmentFlag>")) ==
               code_of("consent_flag_not_allowed"));
    BOOST_TEST(error_code(confirm("<MedicalTreatmentFlag>5</MedicalTreatmentFlag>")) == code_of("malformed_request"));
}

// The renewal notice before notAfter, the grace after it (qualifications, no viewing, no 初回登録), then refusal.
BOOST_AUTO_TEST_CASE(certificates_near_and_past_their_end) {
    const auto with_consent = [this](const std::string& profile) {
        return confirm_pinless(profile, "<PharmacistsInfoConsFlg>1</PharmacistsInfoConsFlg>");
    };
    const auto view = [this](const onshi::HttpResponse& confirmation) { return medications_of(confirmation); };
    // Two months before notAfter: success with the notice; viewing as usual.
    auto r = with_consent("auth-cert-expiring-soon");
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document soon;
    BOOST_TEST(std::string(answer(soon, r).child_value("ProcessingResultStatus")) == "1");
    BOOST_TEST(std::string(answer(soon, r).child_value("ProcessingResultCode")) == code_of("certificate_expires_soon"));
    BOOST_TEST(!std::string(answer(soon, r).child_value("ProcessingResultMessage")).empty());
    BOOST_TEST(std::string(answer(soon, r).child_value("QualificationValidity")) == "1");
    BOOST_TEST(view(r).status == 200);
    // A valid card far from its end: no notice.
    r = with_consent("valid");
    pugi::xml_document plain;
    BOOST_TEST(std::string(answer(plain, r).child_value("ProcessingResultCode")).empty());
    // A month after notAfter: the qualification, the grace notice, and no 薬剤情報 whatever the consent.
    r = with_consent("auth-cert-in-grace");
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document grace;
    BOOST_TEST(std::string(answer(grace, r).child_value("ProcessingResultCode")) == code_of("certificate_in_grace"));
    BOOST_TEST(std::string(answer(grace, r).child("ResultList").child("ResultOfQualificationConfirmation").child_value("InsurerNumber")) == "06139902");
    const auto refused = view(r);
    BOOST_TEST(refused.status == 403);
    BOOST_TEST(viewing_error(refused) == code_of("viewing_in_grace"));
    // Without consent flags the visit still says why.
    BOOST_TEST(viewing_error(view(post("/v2/confirmations", pinless_request("auth-cert-in-grace", "matched", "1")))) == code_of("viewing_in_grace"));
    // 初回登録 needs a certificate in force.
    BOOST_TEST(error_code(post("/v2/registrations", pinless_request("auth-cert-in-grace", "matched", "1"))) == code_of("certificate_expired"));
    // The PIN path in the grace works the same.
    r = post("/v2/confirmations", pin_request("auth-cert-in-grace", new_challenge()));
    BOOST_TEST(r.status == 200, r.body);
    BOOST_TEST(error_code(r) == code_of("certificate_in_grace"));
    // Four months after notAfter: refused.
    BOOST_TEST(error_code(post("/v2/confirmations", pinless_request("expired-auth-cert", "matched", "1"))) == code_of("certificate_expired"));
    // The insurance-card path has no certificate: never a notice.
    BOOST_TEST(error_code(post("/v2/confirmations", "<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>06139902</InsurerNumber>"
                                                    "<InsuredCardSymbol>TEST-B</InsuredCardSymbol><InsuredIdentificationNumber>2001"
                                                    "</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
                                                    "<Birthdate>19800101</Birthdate></QualificationConfirmationRequest>")).empty());
}

BOOST_AUTO_TEST_CASE(claims_are_transferred_to_the_insurer_of_the_date_of_care) {
    auto transfer = [&](const std::string& id) {
        return post("/v2/claims/transfer", "<ClaimTransferRequest><ClaimId>" + id + "</ClaimId></ClaimTransferRequest>");
    };
    auto r = transfer("TEST-CLAIM-0001");
    BOOST_TEST(r.status == 200, r.body);
    pugi::xml_document doc;
    BOOST_REQUIRE(doc.load_string(r.body.c_str()));
    auto root = doc.child("ClaimTransferResponse");
    BOOST_TEST(std::string(root.child_value("OriginalInsurerNumber")) == "06139901");
    BOOST_TEST(std::string(root.child_value("TransferredInsurerNumber")) == "06139902");
    BOOST_TEST(std::string(root.child_value("TransferResult")) == "1");
    r = transfer("TEST-CLAIM-0002");
    pugi::xml_document same;
    BOOST_REQUIRE(same.load_string(r.body.c_str()));
    BOOST_TEST(std::string(same.child("ClaimTransferResponse").child_value("TransferResult")) == "2");
    r = transfer("TEST-CLAIM-0003");
    BOOST_TEST(r.status == 409);
    pugi::xml_document none;
    BOOST_REQUIRE(none.load_string(r.body.c_str()));
    BOOST_TEST(std::string(none.child("ClaimTransferResponse").child_value("ErrorCode")) == code_of("claim_no_insurer"));
    BOOST_TEST(transfer("NO-SUCH-CLAIM").status == 404);
    BOOST_TEST(post("/v2/claims/transfer", "<ClaimTransferRequest/>").status == 400);
}

BOOST_AUTO_TEST_CASE(shift_jis_round_trip) {
    const std::string utf8 = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><QualificationConfirmationRequest>"
                             "<ArbitraryFileIdentifier>受付０００１</ArbitraryFileIdentifier><CharacterCodeIdentifier>1"
                             "</CharacterCodeIdentifier><Mode>card</Mode><InsurerNumber>06139902</InsurerNumber>"
                             "<InsuredCardSymbol>TEST-B</InsuredCardSymbol><InsuredIdentificationNumber>2001"
                             "</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
                             "<Birthdate>19800101</Birthdate></QualificationConfirmationRequest>";
    const auto sjis = onshi::utf8_to_shift_jis(utf8);
    BOOST_REQUIRE(sjis);
    BOOST_TEST(*sjis != utf8);
    const auto r = post("/v2/confirmations", *sjis);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.content_type == "application/xml; charset=Shift_JIS");
    BOOST_TEST(r.body.rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\" standalone=\"no\"?>", 0) == 0u);
    // Half-width kana are single bytes in Shift_JIS: ﾃｽﾄ is C3 BD C4.
    BOOST_TEST(r.body.find("\xC3\xBD\xC4") != std::string::npos);
    const auto back = onshi::shift_jis_to_utf8(r.body);
    BOOST_REQUIRE(back);
    pugi::xml_document doc;
    BOOST_REQUIRE(doc.load_buffer(back->data(), back->size(), pugi::parse_default, pugi::encoding_utf8));
    const auto root = doc.child("XmlMsg").child("MessageBody");
    BOOST_TEST(std::string(doc.child("XmlMsg").child("MessageHeader").child_value("ArbitraryFileIdentifier")) == "受付０００１");
    BOOST_TEST(std::string(doc.child("XmlMsg").child("MessageHeader").child_value("CharacterCodeIdentifier")) == "1");
    BOOST_TEST(std::string(root.child("ResultList").first_child().child_value("Name")) == "テスト 太郎");
    BOOST_TEST(std::string(root.child("ResultList").first_child().child_value("NameKana")) == "ﾃｽﾄ ﾀﾛｳ");
    // CharacterCodeIdentifier decides the answer's encoding, whatever the request's.
    std::string plain = utf8.substr(utf8.find("?>") + 2);
    BOOST_TEST(post("/v2/confirmations", plain).content_type == "application/xml; charset=Shift_JIS");
    plain.replace(plain.find("<CharacterCodeIdentifier>1"), 26, "<CharacterCodeIdentifier>0");
    BOOST_TEST(post("/v2/confirmations", plain).content_type == "application/xml; charset=UTF-8");
}

BOOST_AUTO_TEST_CASE(encodings_that_do_not_hold_are_refused) {
    const std::string head = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><QualificationConfirmationRequest><Mode>card</Mode>";
    BOOST_TEST(error_code(post("/v2/confirmations", head + "\x81</QualificationConfirmationRequest>")) == code_of("unsupported_charset"));
    BOOST_TEST(error_code(post("/v2/confirmations", "<?xml version=\"1.0\" encoding=\"EUC-JP\"?><QualificationConfirmationRequest/>")) ==
               code_of("unsupported_charset"));
    BOOST_TEST(onshi::declared_xml_encoding("<?xml version='1.0' encoding='sjis'?><a/>") == "SJIS");
    BOOST_TEST(onshi::declared_xml_encoding("<a/>").empty());
}

BOOST_AUTO_TEST_SUITE_END()
