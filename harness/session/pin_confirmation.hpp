#pragma once
// 暗証番号入力による資格確認, card side, run in-process: the APDU sequence a マイナンバーカード処理ソフト
// (and OpenSC) sends, checked end to end with OpenSSL. The main job until the scenario harness exists.
#include <optional>
#include <string>
#include <vector>

#include "card/apdu_trace.hpp"
#include "card/card.hpp"

namespace mynasim::harness {

struct PinConfirmation {
    std::vector<card::ApduExchange> exchanges;
    bool completed = false;       // every step answered 90 00 and the signature verified
    std::string failure;          // the step that stopped the session and why
    std::optional<int> tries_left_before;
    Bytes certificate;            // the auth certificate as read (READ BINARY chunked like OpenSC)
    std::string certificate_summary;  // "serial 0x..., subject ..., valid ... to ..."
    bool certificate_chains_to_ca = false;
    Bytes challenge;
    Bytes signature;
    bool signature_verified = false;
};

// `ca_certificate` is the JPKI auth CA (DER) the certificate should chain to.
PinConfirmation run_pin_confirmation(card::Card& card, const std::string& pin, const Bytes& challenge,
                                     const Bytes& ca_certificate);

}  // namespace mynasim::harness
