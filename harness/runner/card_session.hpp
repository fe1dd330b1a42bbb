#pragma once
// 暗証番号入力による資格確認, card side, in-process: the reference client's card steps (client::JpkiCard)
// over an InProcessCardChannel, then the certificate and the signature checked with OpenSSL. What
// `mynasim card session` shows, and how the unit tests get a real certificate and signature.
#include <optional>
#include <string>
#include <vector>

#include "card/apdu_trace.hpp"
#include "card/card.hpp"

namespace mynasim::harness {

struct CardSession {
    std::vector<card::ApduExchange> exchanges;  // decoded, as the channel saw them
    bool completed = false;       // every step answered 90 00 and the signature verified
    std::string failure;          // the step that stopped the session and why
    std::optional<int> tries_left_before;
    Bytes certificate;            // the auth certificate as read (4 bytes for the DER length, then chunks)
    std::string certificate_summary;  // "serial 0x..., subject ..., valid ... to ..."
    bool certificate_chains_to_ca = false;
    Bytes challenge;
    Bytes signature;
    bool signature_verified = false;
};

// `ca_certificate` is the JPKI auth CA (DER) the certificate should chain to.
CardSession run_card_session(card::Card& card, const std::string& pin, const Bytes& challenge, const Bytes& ca_certificate);

}  // namespace mynasim::harness
