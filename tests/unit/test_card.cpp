// Card core behaviour that needs code to check: signatures verified with OpenSSL, OpenSC-style chunked
// reads, the MODELED 特定機関認証, extended APDUs, counter persistence, traces. (Wire rules are in the vectors.)
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "card/apdu.hpp"
#include "crypto/signature.hpp"
#include "card/apdu_description.hpp"
#include "card/apdu_trace.hpp"
#include "card/kenmen_hojo_application.hpp"
#include "profile/face_image.hpp"
#include "runner/card_session.hpp"
#include "state/counter_store.hpp"
#include "test_support.hpp"

using namespace mynasim;

namespace {

crypto::UniqueX509 parse_x509(const Bytes& der) {
    const unsigned char* p = der.data();
    return crypto::UniqueX509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

bool rsa_pkcs1_sha256_verifies(X509* cert, ByteView message, ByteView signature) {
    crypto::SharedKey key = crypto::share_key(X509_get_pubkey(cert));
    crypto::UniqueMdCtx ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    const bool ok = EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.get()) == 1 &&
                    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
                    EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
    ERR_clear_error();
    return ok;
}

Bytes ecdsa_sha256(EVP_PKEY* key, ByteView message) {
    crypto::UniqueMdCtx ctx(EVP_MD_CTX_new());
    BOOST_REQUIRE(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1);
    std::size_t length = 0;
    BOOST_REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) == 1);
    Bytes signature(length);
    BOOST_REQUIRE(EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) == 1);
    signature.resize(length);
    return signature;
}

// Extended-length case 3 APDU.
Bytes extended_case3(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, const Bytes& data) {
    Bytes apdu{cla, ins, p1, p2, 0x00, static_cast<std::uint8_t>(data.size() >> 8), static_cast<std::uint8_t>(data.size())};
    apdu.insert(apdu.end(), data.begin(), data.end());
    return apdu;
}

Bytes short_case3(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, const Bytes& data) {
    Bytes apdu{cla, ins, p1, p2, static_cast<std::uint8_t>(data.size())};
    apdu.insert(apdu.end(), data.begin(), data.end());
    return apdu;
}

card::StatusWord status_of(const Bytes& response) {
    return static_cast<card::StatusWord>(response[response.size() - 2] << 8 | response[response.size() - 1]);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_card)

BOOST_AUTO_TEST_CASE(apdu_codec_cases_short_and_extended) {
    auto c1 = card::decode_command(*parse_hex("00200080"));
    BOOST_REQUIRE(c1);
    BOOST_TEST((c1->apdu_case == card::ApduCase::Case1));
    auto c2 = card::decode_command(*parse_hex("00B0000000"));
    BOOST_REQUIRE(c2);
    BOOST_TEST(*c2->le == 256u);
    auto c3 = card::decode_command(*parse_hex("00A4020C02000A"));
    BOOST_REQUIRE(c3);
    BOOST_TEST((c3->apdu_case == card::ApduCase::Case3));
    BOOST_TEST(c3->data.size() == 2u);
    auto c4 = card::decode_command(*parse_hex("802A0080020102FF"));
    BOOST_REQUIRE(c4);
    BOOST_TEST(*c4->le == 255u);
    auto e2 = card::decode_command(*parse_hex("00B0000000000000"));
    BOOST_TEST(!e2);  // 7 bytes: extended case 2 is exactly 7, this is 8
    auto e2ok = card::decode_command(*parse_hex("00B00000000000"));
    BOOST_REQUIRE(e2ok);
    BOOST_TEST(*e2ok->le == 65536u);
    BOOST_TEST(e2ok->extended);
    auto e3 = card::decode_command(*parse_hex("002A00BE000003010203"));
    BOOST_REQUIRE(e3);
    BOOST_TEST((e3->apdu_case == card::ApduCase::Case3));
    BOOST_TEST(e3->data.size() == 3u);
    auto e4 = card::decode_command(*parse_hex("802A0080000002010201F4"));
    BOOST_REQUIRE(e4);
    BOOST_TEST(*e4->le == 500u);
    for (const char* bad : {"", "00", "00A4", "00A404", "00A4040C0302", "00A4040C020102FFFF", "00B000000000",
                            "002A00BE0000", "002A00BE0000050102"})
        BOOST_TEST(!card::decode_command(*parse_hex(bad)), bad);
}

BOOST_AUTO_TEST_CASE(random_bytes_never_crash_the_card) {
    test::TestCard t("valid");
    mynasim::SeededRandom noise(99);
    for (int i = 0; i < 20000; ++i) {
        std::uint8_t length_byte = 0;
        noise.fill(std::span(&length_byte, 1));
        Bytes apdu(length_byte % 40);
        noise.fill(apdu);
        if (i % 3 == 0 && apdu.size() > 1) apdu[0] = 0x00;  // reach past the CLA check often
        const auto outcome = t.card.transmit(apdu);
        BOOST_REQUIRE(outcome.response.has_value());
        if (i % 500 == 0) card::reset(t.card.state());
    }
}

BOOST_AUTO_TEST_CASE(signature_verifies_against_the_profile_certificate) {
    test::TestCard t("valid");
    BOOST_TEST(t.sw(test::select_jpki) == 0x9000);
    const Bytes cert_der = test::card_definition("valid")->applications[0].file(0x000A)->data;
    const Bytes challenge = bytes_of("TEST server challenge 0001");
    const Bytes digest_info = crypto::sha256_digest_info(challenge);
    BOOST_TEST(t.sw("002000980431323334") == 0x9000);
    Bytes sign = short_case3(0x80, 0x2A, 0x00, 0x97, digest_info);
    sign.push_back(0x00);
    const auto outcome = t.card.transmit(sign);
    BOOST_REQUIRE(outcome.response);
    BOOST_TEST(outcome.response->sw == 0x9000);
    BOOST_TEST(outcome.response->data.size() == 256u);
    auto cert = parse_x509(cert_der);
    BOOST_REQUIRE(cert);
    BOOST_TEST(rsa_pkcs1_sha256_verifies(cert.get(), challenge, outcome.response->data));
    BOOST_TEST(!rsa_pkcs1_sha256_verifies(cert.get(), bytes_of("another challenge"), outcome.response->data));
}

BOOST_AUTO_TEST_CASE(opensc_style_chunked_read_returns_the_exact_der) {
    for (const char* profile_name : {"valid", "renewed-auth-cert", "expired-auth-cert"}) {
        const auto p = profile::load_profile(test::profile_path(profile_name));
        const Bytes expected =
            test::shared_pki()
                .issue(profile::certificate_spec(p, p.auth_certificate, pki::CertificatePurpose::Auth))
                .der;
        test::TestCard t(profile_name);
        t.send(test::select_jpki);
        t.send("00A4020C02000A");
        Bytes head = t.send("00B0000004");
        BOOST_REQUIRE(head.size() == 6u);
        const std::size_t total = 4 + (static_cast<std::size_t>(head[2]) << 8 | head[3]);
        Bytes der(head.begin(), head.end() - 2);
        while (der.size() < total) {
            char apdu[16];
            std::snprintf(apdu, sizeof apdu, "00B0%04X00", static_cast<unsigned>(der.size()));
            Bytes chunk = t.send(apdu);
            BOOST_REQUIRE(chunk.size() >= 2u);
            const auto word = status_of(chunk);
            BOOST_REQUIRE(word == 0x9000 || word == 0x6282);
            der.insert(der.end(), chunk.begin(), chunk.end() - 2);
            if (word == 0x6282) break;
        }
        BOOST_TEST(der == expected, profile_name);
        BOOST_TEST(der.size() == total);
    }
}

BOOST_AUTO_TEST_CASE(tokutei_kikan_authentication_unlocks_the_face_image) {
    test::TestCard t("valid");
    const auto institution = test::shared_pki().institution_certificate();
    BOOST_TEST(t.sw(test::select_kenmen) == 0x9000);
    BOOST_TEST(t.sw("00B0820000") == 0x6982);
    BOOST_REQUIRE(institution.der.size() > 255u);  // so the certificate needs an extended APDU
    BOOST_TEST(status_of(t.send(to_hex(extended_case3(0x00, 0x2A, 0x00, 0xBE, institution.der)))) == 0x9000);
    Bytes challenge = t.send("0084000008");
    BOOST_REQUIRE(challenge.size() == 10u);
    challenge.resize(8);
    const Bytes signature = ecdsa_sha256(institution.key.get(), challenge);
    BOOST_TEST(status_of(t.send(to_hex(short_case3(0x00, 0x82, 0x00, 0x00, signature)))) == 0x9000);
    // The whole image: READ BINARY by its SFI, then on by offset, until the end of the file.
    Bytes face = t.send("00B0820000");
    BOOST_REQUIRE(face.size() > 2u && status_of(face) == 0x9000);
    face.resize(face.size() - 2);
    for (;;) {
        char command[16];
        std::snprintf(command, sizeof command, "00B0%04zX00", face.size());
        Bytes part = t.send(command);
        const auto sw = status_of(part);
        part.resize(part.size() - 2);
        face.insert(face.end(), part.begin(), part.end());
        if (sw != 0x9000 || part.size() < 256) break;
    }
    BOOST_TEST(face == profile::synthetic_face_jpeg("TEST-0001"));
    BOOST_TEST(profile::face_image_problem(face) == "");
    // The unlock lasts for the card session only.
    card::reset(t.card.state());
    t.send(test::select_kenmen);
    BOOST_TEST(t.sw("00B0820000") == 0x6982);
}

BOOST_AUTO_TEST_CASE(tokutei_kikan_authentication_rejects_bad_signatures_and_other_cas) {
    test::TestCard t("valid");
    const auto institution = test::shared_pki().institution_certificate();
    t.send(test::select_kenmen);
    t.send(to_hex(extended_case3(0x00, 0x2A, 0x00, 0xBE, institution.der)));
    Bytes challenge = t.send("0084000008");
    challenge.resize(8);
    Bytes signature = ecdsa_sha256(institution.key.get(), bytes_of("not the challenge"));
    BOOST_TEST(status_of(t.send(to_hex(short_case3(0x00, 0x82, 0x00, 0x00, signature)))) == 0x6300);
    // The challenge was used up by the failed attempt: a replay of a good signature gets 69 85.
    signature = ecdsa_sha256(institution.key.get(), challenge);
    BOOST_TEST(status_of(t.send(to_hex(short_case3(0x00, 0x82, 0x00, 0x00, signature)))) == 0x6985);
    BOOST_TEST(t.sw("00B0820000") == 0x6982);
    // A certificate from another CA (the server TLS certificate) is not an institution certificate.
    const auto server = test::shared_pki().server_tls_certificate();
    BOOST_TEST(status_of(t.send(to_hex(extended_case3(0x00, 0x2A, 0x00, 0xBE, server.der)))) == 0x6300);
    challenge = t.send("0084000008");
    challenge.resize(8);
    // (An RSA-2048 signature is 256 bytes: it needs the extended form.)
    BOOST_TEST(status_of(t.send(to_hex(extended_case3(0x00, 0x82, 0x00, 0x00, ecdsa_sha256(server.key.get(), challenge))))) ==
               0x6985);
}

BOOST_AUTO_TEST_CASE(basic_four_is_a_ber_tlv_template) {
    test::TestCard t("person-2");
    t.send(test::select_kenmen_hojo);
    BOOST_TEST(t.sw("002000910435363738") == 0x9000);
    Bytes r = t.send("00B0820000");
    Bytes data(r.begin(), r.end() - 2);
    card::KenmenHojoContent content{"000000000002", "テスト 花子", "大阪府大阪市テスト区2-2 (TEST)", "19920229", "2"};
    BOOST_TEST(data == card::encode_basic_four(content));
    BOOST_TEST(data[0] == 0xFF);
    BOOST_TEST(data[1] == 0x20);
}

BOOST_AUTO_TEST_CASE(counters_persist_across_a_restart_when_asked) {
    const auto dir = std::filesystem::temp_directory_path() / ("mynasim-counters-" + std::to_string(::getpid()));
    const auto file = dir / "valid-persistent.counters";
    {
        test::TestCard t("valid-persistent");
        state::restore_counters(t.card.definition(), t.card.state(), state::load_counters(file));
        t.send(test::select_jpki);
        for (int i = 0; i < 3; ++i) t.send("002000980430303030");
        BOOST_TEST(t.sw("002000980431323334") == 0x6983);
        state::save_counters(file, t.card.state().tries_left);
    }
    {
        test::TestCard restarted("valid-persistent");
        BOOST_TEST(restarted.card.state().tries_left.at("auth") == 3);  // before restoring: fresh profile
        state::restore_counters(restarted.card.definition(), restarted.card.state(), state::load_counters(file));
        restarted.send(test::select_jpki);
        BOOST_TEST(restarted.sw("00200098") == 0x63C0);
        BOOST_TEST(restarted.sw("002000980431323334") == 0x6983);
    }
    std::ofstream(file) << "auth=3\nsign=five\n";
    try {
        state::load_counters(file);
        BOOST_ERROR("a malformed counter file loaded");
    } catch (const state::StateError& e) {
        BOOST_TEST(std::string(e.what()).find(":2: expected '<pin id>=<tries left 0-15>'") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(latency_fault_is_an_instruction_for_the_transport) {
    test::TestCard slow("slow-card");
    const auto outcome = slow.card.transmit(*parse_hex(test::select_jpki));
    BOOST_REQUIRE(outcome.response);
    BOOST_TEST(outcome.delay_ms == 200u);
    test::TestCard normal("valid");
    BOOST_TEST(normal.card.transmit(*parse_hex(test::select_jpki)).delay_ms == 0u);
}

BOOST_AUTO_TEST_CASE(commands_and_answers_are_described) {
    test::TestCard t("valid");
    auto e = card::exchange(t.card, *parse_hex(test::select_jpki));
    BOOST_TEST(e.command_text == "SELECT JPKI AP");
    BOOST_TEST(card::format_exchange(e) == "00A4040C0AD392F000260100000001 → 9000 SELECT JPKI AP");
    e = card::exchange(t.card, *parse_hex("00A4020C020018"));
    BOOST_TEST(e.command_text == "SELECT EF 0018 (auth PIN)");
    e = card::exchange(t.card, *parse_hex("00200080"));
    BOOST_TEST(e.command_text == "VERIFY EF 0018 (auth PIN) (empty: ask tries left)");
    BOOST_TEST(e.response_text == "63C3 verification failed, 3 tries left");
    e = card::exchange(t.card, *parse_hex("00B08A0004"));
    BOOST_TEST(e.command_text == "READ BINARY EF 000A (auth certificate) by SFI offset 0 Le 4");
    e = card::exchange(t.card, *parse_hex("00A4040C0AD392F000260100000099"));
    BOOST_TEST(card::format_exchange(e).find("(file or application not found)") != std::string::npos);
    BOOST_TEST(card::aid_name(*parse_hex("D3921000310001010408")) == "券面事項入力補助 AP");
}

BOOST_AUTO_TEST_CASE(pin_session_completes_on_a_valid_card) {
    test::TestCard t("valid");
    const auto result = harness::run_card_session(t.card, "1234", bytes_of("TEST"),
                                                  test::shared_pki().ca_certificate(pki::CaId::JpkiAuth));
    BOOST_TEST(result.completed, result.failure);
    BOOST_TEST(result.signature_verified);
    BOOST_TEST(result.certificate_chains_to_ca);
    BOOST_TEST(*result.tries_left_before == 3);
}

BOOST_AUTO_TEST_CASE(pin_session_stops_cleanly_on_bad_cards) {
    const Bytes ca = test::shared_pki().ca_certificate(pki::CaId::JpkiAuth);
    {
        test::TestCard t("valid");
        const auto r = harness::run_card_session(t.card, "9999", bytes_of("TEST"), ca);
        BOOST_TEST(!r.completed);
        BOOST_TEST(r.failure.find("2 tries left") != std::string::npos, r.failure);
    }
    {
        test::TestCard t("auth-pin-locked");
        const auto r = harness::run_card_session(t.card, "1234", bytes_of("TEST"), ca);
        BOOST_TEST(!r.completed);
        for (const auto& e : r.exchanges) BOOST_TEST(!(e.command.size() > 4 && e.command[1] == 0x20), "VERIFY with a PIN sent to a locked card");
    }
    {
        test::TestCard t("truncated-auth-cert");
        const auto r = harness::run_card_session(t.card, "1234", bytes_of("TEST"), ca);
        BOOST_TEST(!r.completed);
        BOOST_TEST(!r.failure.empty());
    }
    {
        test::TestCard t("unknown-issuer-auth-cert");
        const auto r = harness::run_card_session(t.card, "1234", bytes_of("TEST"), ca);
        BOOST_TEST(r.completed);  // the card works; the server is the one to refuse it
        BOOST_TEST(!r.certificate_chains_to_ca);
    }
    {
        test::TestCard t("bad-signature-auth-cert");
        const auto r = harness::run_card_session(t.card, "1234", bytes_of("TEST"), ca);
        BOOST_TEST(!r.certificate_chains_to_ca);
    }
    {
        test::TestCard t("torn-mid-read");
        const auto r = harness::run_card_session(t.card, "1234", bytes_of("TEST"), ca);
        BOOST_TEST(!r.completed);
        BOOST_TEST(r.failure.find("torn") != std::string::npos, r.failure);
    }
}

BOOST_AUTO_TEST_SUITE_END()
