// The reference client's own logic without PC/SC: its card steps against the emulator core in-process,
// its URL and argument parsing.
#include <boost/test/unit_test.hpp>

#include "client/jpki_card.hpp"
#include "client/onshi_client.hpp"
#include "client/reception.hpp"
#include "crypto/signature.hpp"
#include "crypto/x509.hpp"
#include "runner/in_process_card_channel.hpp"
#include "test_support.hpp"

using namespace mynasim;

BOOST_AUTO_TEST_SUITE(test_client)

BOOST_AUTO_TEST_CASE(pin_path_reads_verifies_and_signs) {
    test::TestCard card("valid");
    harness::InProcessCardChannel channel(card.card);
    client::JpkiCard jpki(channel);
    jpki.select_jpki();
    const auto status = jpki.auth_pin_status();
    BOOST_TEST(!status.blocked);
    BOOST_TEST(status.tries_left == 3);
    const Bytes certificate = jpki.read_auth_certificate();
    const auto parsed = crypto::parse_certificate(certificate);
    BOOST_REQUIRE(parsed);
    int tries = -1;
    BOOST_TEST((jpki.verify_auth_pin("1234", tries) == client::PinOutcome::Verified));
    const Bytes challenge{1, 2, 3, 4, 5, 6, 7, 8};
    const Bytes signature = jpki.sign_with_auth_key(crypto::sha256_digest_info(challenge));
    BOOST_TEST(signature.size() == 256u);
    const crypto::SharedKey key = crypto::share_key(X509_get_pubkey(parsed.get()));
    BOOST_TEST(crypto::verify_pkcs1_sha256(key.get(), challenge, signature));
}

BOOST_AUTO_TEST_CASE(wrong_pin_counts_down_and_blocks) {
    test::TestCard card("pin-tries-left-2");
    harness::InProcessCardChannel channel(card.card);
    client::JpkiCard jpki(channel);
    jpki.select_jpki();
    BOOST_TEST(jpki.auth_pin_status().tries_left == 2);
    int tries = -1;
    BOOST_TEST((jpki.verify_auth_pin("0000", tries) == client::PinOutcome::Wrong));
    BOOST_TEST(tries == 1);
    BOOST_TEST((jpki.verify_auth_pin("0000", tries) == client::PinOutcome::Blocked));
    BOOST_TEST(tries == 0);
    BOOST_TEST(jpki.auth_pin_status().blocked);
    BOOST_TEST((jpki.verify_auth_pin("1234", tries) == client::PinOutcome::Blocked));  // the right PIN no longer helps
}

BOOST_AUTO_TEST_CASE(signing_without_pin_is_refused_with_its_status_word) {
    test::TestCard card("valid");
    harness::InProcessCardChannel channel(card.card);
    client::JpkiCard jpki(channel);
    jpki.select_jpki();
    try {
        jpki.sign_with_auth_key(crypto::sha256_digest_info(Bytes{1}));
        BOOST_FAIL("signing without a verified PIN must fail");
    } catch (const client::CardRefusal& e) {
        BOOST_TEST(e.status_word() == 0x6982);
        BOOST_TEST(std::string(e.what()).find("COMPUTE DIGITAL SIGNATURE") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(institution_authentication_unlocks_the_face_image_without_verify) {
    test::TestCard card("valid");
    harness::InProcessCardChannel channel(card.card);
    client::JpkiCard jpki(channel);
    const auto institution = test::shared_pki().institution_certificate();
    BOOST_TEST(jpki.institution_authentication(institution.der, institution.key.get()) > 0u);
    for (const auto& e : jpki.exchanges()) BOOST_TEST(!(e.command[0] == 0x00 && e.command[1] == 0x20), "no VERIFY");
    // a certificate the card's 特定機関 CA did not issue is refused
    test::TestCard other("valid");
    harness::InProcessCardChannel other_channel(other.card);
    client::JpkiCard stranger(other_channel);
    const auto server = test::shared_pki().server_tls_certificate();
    BOOST_CHECK_THROW(stranger.institution_authentication(server.der, server.key.get()), client::CardRefusal);
}

BOOST_AUTO_TEST_CASE(a_card_without_jpki_is_no_my_number_card) {
    test::TestCard card("non-jpki-card");
    harness::InProcessCardChannel channel(card.card);
    client::JpkiCard jpki(channel);
    BOOST_CHECK_THROW(jpki.select_jpki(), client::NotMyNumberCard);
}

BOOST_AUTO_TEST_CASE(the_channel_reports_a_silent_card_as_its_fault_and_keeps_the_trace) {
    test::TestCard torn("torn-mid-read");
    harness::InProcessCardChannel torn_channel(torn.card);
    client::JpkiCard jpki(torn_channel);
    jpki.select_jpki();
    jpki.auth_pin_status();
    try {
        jpki.read_auth_certificate();
        BOOST_FAIL("the card is torn out during the read");
    } catch (const client::CardError& e) {
        BOOST_TEST((e.fault() == client::CardFault::Removed));
        BOOST_TEST(std::string(e.what()).find("READ BINARY EF 000A") != std::string::npos, e.what());
    }
    // The channel keeps the unanswered exchange, decoded; the driver only what was answered.
    BOOST_TEST(torn_channel.exchanges().size() == jpki.exchanges().size() + 1);
    BOOST_TEST(torn_channel.exchanges().back().torn);
    BOOST_TEST(torn_channel.exchanges().front().command_text == "SELECT JPKI AP");

    test::TestCard mute("mute-card");
    harness::InProcessCardChannel mute_channel(mute.card);
    client::JpkiCard silent(mute_channel);
    silent.select_jpki();
    try {
        silent.auth_pin_status();
        silent.read_auth_certificate();
        BOOST_FAIL("the card goes mute");
    } catch (const client::CardError& e) {
        BOOST_TEST((e.fault() == client::CardFault::Mute));
    }
}

BOOST_AUTO_TEST_CASE(server_urls_are_checked) {
    BOOST_CHECK_NO_THROW(client::OnshiClient(client::ServerOptions{"http://127.0.0.1:8420", "", "", "", std::chrono::milliseconds(100)}));
    BOOST_CHECK_NO_THROW(client::OnshiClient(client::ServerOptions{"http://localhost", "", "", "", std::chrono::milliseconds(100)}));
    BOOST_CHECK_NO_THROW(client::OnshiClient(client::ServerOptions{"http://[::1]:8420/", "", "", "", std::chrono::milliseconds(100)}));
    for (const char* bad : {"ftp://127.0.0.1", "127.0.0.1:8420", "http://127.0.0.1:84x0", "http://127.0.0.1:8420/v1", "http://", "https://h:1"})
        BOOST_CHECK_THROW(client::OnshiClient(client::ServerOptions{bad, "", "", "", std::chrono::milliseconds(100)}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(unreachable_server_is_reported_not_thrown_elsewhere) {
    client::OnshiClient server(client::ServerOptions{"http://127.0.0.1:1", "", "", "", std::chrono::milliseconds(2000)});
    try {
        server.post("/v2/challenge", "");
        BOOST_FAIL("port 1 must refuse");
    } catch (const client::ServerError& e) {
        BOOST_TEST((e.fault() == client::ServerFault::Unreachable));
    }
}

BOOST_AUTO_TEST_CASE(bulk_card_fields) {
    const auto card = client::parse_card_fields("06139902,,2001,00,19800101");
    BOOST_TEST(card.insurer == "06139902");
    BOOST_TEST(card.symbol.empty());
    BOOST_TEST(card.birth_date == "19800101");
    for (const char* bad : {"", "06139902,TEST-B", "a,b,c,d,e,f", ",S,N,00,19800101", "06139902,S,N,00,"})
        BOOST_CHECK_THROW(client::parse_card_fields(bad), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
