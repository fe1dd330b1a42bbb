// The mock server's I/O-free logic: error table, qualification resolution, certificate checks, XML answers.
#include <boost/test/unit_test.hpp>

#include <sstream>

#include <pugixml.hpp>

#include "runner/card_session.hpp"
#include "onshi/service/certificate_verifier.hpp"
#include "onshi/store/dataset_loader.hpp"
#include "onshi/service/error_table.hpp"
#include "onshi/service/qualification_resolution.hpp"
#include "onshi/wire/xml_text.hpp"
#include "onshi/wire/xml_writer.hpp"
#include "test_support.hpp"

using namespace mynasim;

namespace {

onshi::Qualification qualification(const std::string& insurer, const std::string& from, const std::string& to) {
    onshi::Qualification q;
    q.insurer = insurer;
    q.symbol = "S";
    q.number = "1";
    q.branch = "00";
    q.valid_from = from;
    q.valid_to = to;
    q.qualification_date = from;
    return q;
}

Bytes auth_certificate_of(const std::string& profile_name) {
    const auto p = profile::load_profile(test::profile_path(profile_name));
    return test::shared_pki().issue(profile::certificate_spec(p, p.auth_certificate, pki::CertificatePurpose::Auth)).der;
}

struct Server {
    Server() : store(":memory:") {
        store.load(onshi::load_dataset(test::source_path("simulator/onshi/data/default-dataset.yaml")));
    }
    onshi::Store store;
};

// What pugixml's indented save makes of a DOM: the rendering XmlWriter must match.
std::string pugixml_rendering(const pugi::xml_document& doc) {
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_onshi_logic)

BOOST_AUTO_TEST_CASE(error_table_is_complete_and_strict) {
    const auto& table = onshi::ErrorTable::builtin();
    for (const char* key : {"malformed_request", "unsupported_charset", "challenge_unknown", "challenge_expired",
                            "challenge_replayed", "signature_invalid", "certificate_malformed",
                            "certificate_unknown_issuer", "certificate_bad_signature", "certificate_expired",
                            "certificate_not_yet_valid", "certificate_revoked", "certificate_serial_unknown",
                            "not_registered", "face_result_missing", "institution_auth_missing", "card_not_found",
                            "consent_missing", "claim_unknown", "claim_no_insurer", "unreadable_file", "institution_mismatch", "internal_error"}) {
        const auto& e = table.at(key);
        BOOST_TEST(!e.code.empty(), key);
        BOOST_TEST(e.http_status >= 400, key);
    }
    BOOST_CHECK_THROW(table.at("no_such_error"), std::out_of_range);
    BOOST_CHECK_THROW(onshi::ErrorTable::parse("errors:\n  - {key: a, code: X1, http: 400, message: m, cause: c}\n"
                                               "  - {key: a, code: X2, http: 400, message: m, cause: c}\n", "t.yaml"),
                      yaml::LoadError);
    BOOST_CHECK_THROW(onshi::ErrorTable::parse("errors:\n  - {key: a, code: X1, http: 99, message: m, cause: c}\n", "t.yaml"),
                      yaml::LoadError);
}

BOOST_AUTO_TEST_CASE(the_qualification_valid_on_the_date_wins) {
    const std::vector<onshi::Qualification> history{qualification("A", "20150401", "20220331"),
                                                    qualification("B", "20220401", "")};
    auto r = onshi::resolve_for_person(history, "20210101");
    BOOST_TEST(r.validity == "1");
    BOOST_TEST(history.at(r.picked.at(0)).insurer == "A");
    r = onshi::resolve_for_person(history, "20220331");
    BOOST_TEST(history.at(r.picked.at(0)).insurer == "A");
    r = onshi::resolve_for_person(history, "20220401");
    BOOST_TEST(history.at(r.picked.at(0)).insurer == "B");
    r = onshi::resolve_for_person(history, "20100101");
    BOOST_TEST(r.validity == "2");
    BOOST_TEST(onshi::resolve_for_person({}, "20260401").validity == "4");
    const std::vector<onshi::Qualification> overlapping{qualification("A", "20200101", ""), qualification("B", "20210101", "")};
    r = onshi::resolve_for_person(overlapping, "20250101");
    BOOST_TEST(r.validity == "5");
    BOOST_TEST(r.picked.size() == 2u);
    const std::vector<onshi::Qualification> lost{qualification("A", "20150401", "20220331")};
    r = onshi::resolve_for_person(lost, "20260401");
    BOOST_TEST(r.validity == "2");
}

BOOST_AUTO_TEST_CASE(insurance_card_path_reports_a_newer_qualification) {
    const std::vector<onshi::Qualification> history{qualification("A", "20150401", "20220331"),
                                                    qualification("B", "20220401", "")};
    auto r = onshi::resolve_for_card(history, 0, "20260401");
    BOOST_TEST(r.validity == "3");
    BOOST_REQUIRE(r.picked.size() == 2u);
    BOOST_TEST(history[r.picked[0]].insurer == "A");
    BOOST_TEST(history[r.picked[1]].insurer == "B");
    BOOST_TEST(onshi::resolve_for_card(history, 0, "20200101").validity == "1");
    BOOST_TEST(onshi::resolve_for_card(history, 1, "20260401").validity == "1");
    const std::vector<onshi::Qualification> lost{qualification("A", "20150401", "20220331")};
    BOOST_TEST(onshi::resolve_for_card(lost, 0, "20260401").validity == "2");
}

BOOST_AUTO_TEST_CASE(medical_aid_without_a_ticket_for_the_date_is_valid_but_unregistered) {
    auto aid = qualification("12139999", "20250401", "");
    aid.classification = "A1";
    const std::vector<onshi::Qualification> none{aid};
    BOOST_TEST(onshi::resolve_for_person(none, "20260401").validity == "6");
    BOOST_TEST(onshi::resolve_for_card(none, 0, "20260401").validity == "6");
    auto& ticket = aid.tickets.emplace_back();
    ticket.type = "1";
    ticket.valid_from = "20260401";
    ticket.valid_to = "20260430";
    const std::vector<onshi::Qualification> april{aid};
    BOOST_TEST(onshi::resolve_for_person(april, "20260401").validity == "1");
    BOOST_TEST(onshi::resolve_for_person(april, "20260430").validity == "1");
    BOOST_TEST(onshi::resolve_for_person(april, "20260501").validity == "6");  // the ticket's month is over
    BOOST_TEST(onshi::resolve_for_card(april, 0, "20260331").validity == "6");
    BOOST_TEST(onshi::resolve_for_person(april, "20250331").validity == "2");  // before the aid began: not valid at all
    // Only 医療扶助 has the value: an insurance without tickets is simply valid.
    const std::vector<onshi::Qualification> insured{qualification("06139902", "20250401", "")};
    BOOST_TEST(onshi::resolve_for_person(insured, "20260401").validity == "1");
}

BOOST_AUTO_TEST_CASE(certificate_checks_follow_the_profiles) {
    Server server;
    const auto& pki = test::shared_pki();
    const auto crl = pki.crl(pki::CaId::JpkiAuth, {{"0x1004", mynasim::default_reference_time - 30 * 86400}},
                             mynasim::default_reference_time, mynasim::default_reference_time + 365 * 86400);
    const onshi::CertificateVerifier verifier(pki.ca_certificate(pki::CaId::JpkiAuth), crl);
    const auto now = mynasim::default_reference_time;
    const std::vector<std::pair<const char*, const char*>> expectations{
        {"valid", ""},
        {"renewed-auth-cert", ""},
        {"person-2", ""},
        {"unregistered-person", ""},  // the certificate is fine; registration is checked by the server
        {"expired-auth-cert", "certificate_expired"},
        {"not-yet-valid-auth-cert", "certificate_not_yet_valid"},
        {"revoked-auth-cert", "certificate_revoked"},
        {"unknown-issuer-auth-cert", "certificate_unknown_issuer"},
        {"bad-signature-auth-cert", "certificate_bad_signature"},
        {"truncated-auth-cert", "certificate_malformed"},
    };
    for (const auto& [profile_name, error] : expectations) {
        const auto verdict = verifier.verify(auth_certificate_of(profile_name), now, server.store);
        BOOST_TEST(verdict.error == error, profile_name);
        if (verdict.error.empty()) {
            const auto p = profile::load_profile(test::profile_path(profile_name));
            BOOST_TEST(verdict.person_id == p.person, profile_name);
        }
        if (!verdict.error.empty()) BOOST_TEST(!onshi::ErrorTable::builtin().at(verdict.error).code.empty());
    }
    // A certificate the CA issued but J-LIS links to nobody.
    pki::CertificateSpec stranger;
    stranger.serial = "0x7777";
    stranger.subject = {{"CN", "TEST stranger"}};
    stranger.not_before = now - 86400;
    stranger.not_after = now + 86400;
    stranger.key = "card-09";
    BOOST_TEST(verifier.verify(pki.issue(stranger).der, now, server.store).error == "certificate_serial_unknown");
    // Without the CRL, revocation still comes from the store's status.
    const onshi::CertificateVerifier no_crl(pki.ca_certificate(pki::CaId::JpkiAuth), std::nullopt);
    BOOST_TEST(no_crl.verify(auth_certificate_of("revoked-auth-cert"), now, server.store).error == "certificate_revoked");
    // The server's clock decides: years later the valid certificate has expired.
    BOOST_TEST(verifier.verify(auth_certificate_of("valid"), now + 10LL * 365 * 86400, server.store).error ==
               "certificate_expired");
}

BOOST_AUTO_TEST_CASE(the_card_signature_over_a_challenge_verifies) {
    Server server;
    const onshi::CertificateVerifier verifier(test::shared_pki().ca_certificate(pki::CaId::JpkiAuth), std::nullopt);
    test::TestCard t("valid");
    const Bytes challenge = bytes_of("TEST server challenge");
    const auto session = harness::run_card_session(t.card, "1234", challenge,
                                                   test::shared_pki().ca_certificate(pki::CaId::JpkiAuth));
    BOOST_REQUIRE(session.completed);
    const auto verdict = verifier.verify(session.certificate, mynasim::default_reference_time, server.store);
    BOOST_REQUIRE(verdict.error.empty());
    BOOST_TEST(onshi::signature_verifies(verdict.public_key.get(), challenge, session.signature));
    BOOST_TEST(!onshi::signature_verifies(verdict.public_key.get(), bytes_of("another challenge"), session.signature));
}

// Answers are written without a DOM; they must read byte for byte as pugixml renders the same DOM:
// layout, empty parents, empty texts, escapes, control characters, a NUL, Shift_JIS and its fallback.
const std::string tricky_values[] = {"", "plain", "テスト ﾀﾛｳ", "a&b<c>d\"e'f", std::string("tab\tnl\ncr\rbell\x07esc\x1b"),
                                     std::string("cut\0here", 8), "\xF0\x9F\x98\x80 no Shift_JIS form", "  ", "\r\n", "a\r\nb\rc"};

BOOST_AUTO_TEST_CASE(xml_writer_renders_as_pugixml_does) {
    for (const auto& value : tricky_values) {
        pugi::xml_document doc;
        auto root = doc.append_child("Root");
        root.append_child("A").text().set(value.c_str());
        root.append_child("Empty");
        auto list = root.append_child("List");
        auto item = list.append_child("Item");
        item.append_child("B").text().set("x");
        item.append_child("C").text().set(value.c_str());
        onshi::XmlWriter writer("Root");
        writer.element("A", value).open("Empty").close().open("List").open("Item").element("B", "x").element("C", value);
        BOOST_TEST(writer.finish() == pugixml_rendering(doc), value);
    }
}

BOOST_AUTO_TEST_SUITE_END()
