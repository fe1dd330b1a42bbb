#include "jpki_application.hpp"

#include "card/card_crypto.hpp"
#include "card/iso7816_operations.hpp"

namespace mynasim::card {

namespace {

constexpr std::uint8_t cla_proprietary = 0x80;
constexpr std::uint8_t ins_compute_digital_signature = 0x2A;

// 80 2A 00 80 Lc DigestInfo 00 with the key EF selected, or P2 = 80|SFI (97 auth, 9A sign).
ResponseApdu compute_digital_signature(const CommandApdu& command, CommandContext& context) {
    const auto [file, refused] = iso7816::referenced_file(command, context, FileKind::PrivateKey);
    if (!file) return ResponseApdu::status(refused);
    if (command.data.empty()) return ResponseApdu::status(sw::wrong_length);
    if (!iso7816::pin_verified(context, file->pin_id)) return ResponseApdu::status(sw::security_status_not_satisfied);
    auto signature = rsa_sign_pkcs1(file->key.get(), command.data);
    if (!signature) return ResponseApdu::status(sw::wrong_length);  // DigestInfo too long for the key
    if (command.le && *command.le < signature->size()) return ResponseApdu::status(sw::wrong_length);
    return ResponseApdu{std::move(*signature), sw::ok};
}

}  // namespace

Bytes jpki_aid() { return {0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}; }

Bytes jpki_token_info() {
    Bytes info = bytes_of("JPKIAPICCTOKEN2");
    info.resize(160, ' ');
    return info;
}

ApplicationDefinition make_jpki_application(const JpkiContent& content) {
    ApplicationDefinition app;
    app.name = "JPKI AP";
    app.aid = jpki_aid();
    // The ISO base as it is (SELECT, READ BINARY, VERIFY), plus the one command of its own.
    Operations operations = iso7816_operations();
    operations.set(ins_compute_digital_signature, cla_proprietary, compute_digital_signature);
    app.operations = std::make_shared<const Operations>(std::move(operations));
    app.files.push_back(binary_ef(0x000A, "auth certificate", content.auth_certificate));
    app.files.push_back(binary_ef(0x000B, "auth CA certificate", content.auth_ca_certificate));
    app.files.push_back(key_ef(0x0017, "auth private key", content.auth_key, auth_pin_id));
    app.files.push_back(pin_ef(0x0018, "auth PIN", auth_pin_id));
    if (content.sign_certificate_loaded)
        app.files.push_back(binary_ef(0x0001, "sign certificate", content.sign_certificate, ReadRule::AfterPin, sign_pin_id));
    app.files.push_back(binary_ef(0x0002, "sign CA certificate", content.sign_ca_certificate));
    if (content.sign_certificate_loaded) app.files.push_back(key_ef(0x001A, "sign private key", content.sign_key, sign_pin_id));
    app.files.push_back(pin_ef(0x001B, "sign PIN", sign_pin_id));
    app.files.push_back(binary_ef(0x0006, "token info", jpki_token_info()));
    app.files.push_back(binary_ef(0x0008, "EF 0008", Bytes{0x8F, 0x8F, 0x00}));
    return app;
}

}  // namespace mynasim::card
