#include "kenmen_application.hpp"

#include "card/card_crypto.hpp"
#include "card/iso7816_operations.hpp"

namespace mynasim::card {

namespace {

constexpr std::uint8_t ins_get_challenge = 0x84;
constexpr std::uint8_t ins_external_authenticate = 0x82;
constexpr std::uint8_t ins_perform_security_operation = 0x2A;
constexpr std::size_t challenge_length = 8;

// GET CHALLENGE 00 84 00 00 08: 8 random bytes, kept for one EXTERNAL AUTHENTICATE.
ResponseApdu get_challenge(const CommandApdu& command, CommandContext& context) {
    if (command.p1 != 0 || command.p2 != 0) return ResponseApdu::status(sw::wrong_p1_p2);
    if (command.apdu_case != ApduCase::Case2 || *command.le != challenge_length)
        return ResponseApdu::status(sw::wrong_length);
    Bytes challenge(challenge_length);
    context.random.fill(challenge);
    context.state.session.challenge = challenge;
    return ResponseApdu{std::move(challenge), sw::ok};
}

// PSO: VERIFY CERTIFICATE 00 2A 00 BE Lc cert: a 特定機関 certificate issued by the TEST 特定機関 CA.
ResponseApdu verify_certificate(const CommandApdu& command, CommandContext& context) {
    if (command.p1 != 0x00 || command.p2 != 0xBE) return ResponseApdu::status(sw::wrong_p1_p2);
    if (command.apdu_case != ApduCase::Case3) return ResponseApdu::status(sw::wrong_length);
    auto& session = context.state.session;
    session.institution_key.reset();
    session.institution_authenticated = false;
    bool malformed = false;
    auto key = verified_certificate_key(command.data, context.card.institution_ca_public_key.get(), malformed);
    if (malformed) return ResponseApdu::status(sw::wrong_data);
    if (!key) return ResponseApdu::status(sw::verification_failed);
    session.institution_key = *key;
    return ResponseApdu::status(sw::ok);
}

// EXTERNAL AUTHENTICATE 00 82 00 00 Lc sig: the verified certificate's key signed the last challenge.
ResponseApdu external_authenticate(const CommandApdu& command, CommandContext& context) {
    if (command.p1 != 0 || command.p2 != 0) return ResponseApdu::status(sw::wrong_p1_p2);
    if (command.apdu_case != ApduCase::Case3) return ResponseApdu::status(sw::wrong_length);
    auto& session = context.state.session;
    if (!session.challenge || !session.institution_key)
        return ResponseApdu::status(sw::conditions_not_satisfied);
    const Bytes challenge = *session.challenge;
    session.challenge.reset();  // one try per challenge: no replay
    if (!verify_sha256_signature(session.institution_key.get(), challenge, command.data))
        return ResponseApdu::status(sw::verification_failed);
    session.institution_authenticated = true;
    return ResponseApdu::status(sw::ok);
}

}  // namespace

Bytes kenmen_aid() { return {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02}; }

ApplicationDefinition make_kenmen_application(Bytes face_image) {
    ApplicationDefinition app;
    app.name = "券面 AP";
    app.aid = kenmen_aid();
    // The ISO base as it is (its face image EF is read by the base READ BINARY, whose read rule asks for
    // 特定機関認証), plus the three commands of the MODELED 特定機関認証.
    Operations operations = iso7816_operations();
    operations.set(ins_get_challenge, cla_iso, get_challenge);
    operations.set(ins_perform_security_operation, cla_iso, verify_certificate);
    operations.set(ins_external_authenticate, cla_iso, external_authenticate);
    app.operations = std::make_shared<const Operations>(std::move(operations));
    app.files.push_back(binary_ef(0x0002, "face image", std::move(face_image), ReadRule::AfterInstitutionAuth));
    return app;
}

}  // namespace mynasim::card
