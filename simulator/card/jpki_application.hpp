#pragma once
// JPKI AP (公的個人認証): certificates, keys and the two PINs. Adds COMPUTE DIGITAL SIGNATURE.
#include "card/card_definition.hpp"

namespace mynasim::card {

struct JpkiContent {
    Bytes auth_certificate;     // EF 000A, 利用者証明用電子証明書
    Bytes auth_ca_certificate;  // EF 000B
    Bytes sign_certificate;     // EF 0001, 署名用電子証明書 (sign PIN to read)
    Bytes sign_ca_certificate;  // EF 0002
    crypto::SharedKey auth_key; // EF 0017
    crypto::SharedKey sign_key; // EF 001A
    // False: no 署名用電子証明書 was loaded (顔認証マイナンバーカード): EF 0001 and 001A do not exist.
    bool sign_certificate_loaded = true;
};

Bytes jpki_aid();
// EF 0006: 160 bytes, "JPKIAPICCTOKEN2" then spaces.
Bytes jpki_token_info();
ApplicationDefinition make_jpki_application(const JpkiContent& content);

}  // namespace mynasim::card
