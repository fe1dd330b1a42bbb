#pragma once
// What the reference client does with a My Number card, command by command (../shared/spec/jpki-card.md):
// the JPKI AP's auth certificate, auth PIN and auth key, and the 券面 AP's 特定機関認証 (MODELED). Every
// exchange is kept, so the caller can show the trace.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "client/card_channel.hpp"

namespace mynasim::client {

// A command the card refused with a status word the step does not expect.
class CardRefusal : public std::runtime_error {
public:
    CardRefusal(const std::string& step, std::uint16_t status_word);
    std::uint16_t status_word() const { return status_word_; }

private:
    std::uint16_t status_word_;
};

// SELECT of the JPKI AP failed: not a My Number card (or its JPKI AP is missing).
class NotMyNumberCard : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PinStatus {
    bool blocked = false;
    bool not_set = false;  // 69 84: the card has no PIN (顔認証マイナンバーカード)
    int tries_left = -1;   // -1: the card did not say
};

enum class PinOutcome { Verified, Wrong, Blocked };

struct Exchange {
    Bytes command;
    Bytes response;  // with the status word
};

class JpkiCard {
public:
    explicit JpkiCard(CardChannel& channel) : channel_(channel) {}

    void select_jpki();                  // throws NotMyNumberCard
    PinStatus auth_pin_status();         // SELECT 0018 + empty VERIFY: never costs a try
    PinOutcome verify_auth_pin(const std::string& pin, int& tries_left);  // the one VERIFY with a PIN
    Bytes read_auth_certificate();       // EF 000A, 4 bytes for the DER length then chunks of 256
    Bytes sign_with_auth_key(ByteView digest_info);  // after a verified auth PIN

    // 特定機関認証 (MODELED): SELECT 券面 AP, PSO VERIFY CERTIFICATE (the institution's certificate),
    // GET CHALLENGE, EXTERNAL AUTHENTICATE (ECDSA signature of the challenge), then read the face image
    // (EF 0002) it unlocks. Returns the image's size.
    std::size_t institution_authentication(const Bytes& institution_certificate, EVP_PKEY* institution_key);

    const std::vector<Exchange>& exchanges() const { return exchanges_; }

private:
    Bytes send(const Bytes& command);  // records the exchange
    Bytes expect_ok(const Bytes& command, const std::string& step);  // the data, or CardRefusal
    Bytes read_file(const std::string& step);  // the selected EF, DER-length-aware

    CardChannel& channel_;
    std::vector<Exchange> exchanges_;
};

}  // namespace mynasim::client
