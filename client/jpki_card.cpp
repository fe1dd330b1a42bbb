#include "jpki_card.hpp"

#include <cstdio>

#include "crypto/openssl_handles.hpp"

namespace mynasim::client {

namespace {

// Public AIDs (../shared/spec/jpki-card.md): the client knows them itself, as real client software does.
const Bytes jpki_aid{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
const Bytes kenmen_aid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};

constexpr std::uint16_t sw_ok = 0x9000;
constexpr std::uint16_t sw_blocked = 0x6983;
constexpr std::uint16_t sw_not_usable = 0x6984;  // the PIN was never set (顔認証マイナンバーカード; MODELED)
constexpr std::uint16_t sw_end_reached = 0x6282;
constexpr std::uint16_t sw_offset_past_end = 0x6B00;

std::uint16_t status_of(const Bytes& response) {
    return static_cast<std::uint16_t>(response[response.size() - 2] << 8 | response[response.size() - 1]);
}

std::string hex4(std::uint16_t sw) {
    char text[8];
    std::snprintf(text, sizeof text, "%04X", sw);
    return text;
}

// Header bytes, then data, then an optional Le. (Built by appending into reserved space: GCC 12 warns
// falsely about inserting into a vector made from an initializer list.)
Bytes apdu(std::initializer_list<std::uint8_t> header, ByteView data = {}, std::optional<std::uint8_t> le = {}) {
    Bytes out;
    out.reserve(header.size() + data.size() + 1);
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    if (le) out.push_back(*le);
    return out;
}

Bytes select_aid(const Bytes& aid) { return apdu({0x00, 0xA4, 0x04, 0x0C, static_cast<std::uint8_t>(aid.size())}, aid); }

Bytes select_ef(std::uint16_t fid) {
    return {0x00, 0xA4, 0x02, 0x0C, 0x02, static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)};
}

Bytes read_binary(std::size_t offset, std::uint8_t le) {
    return {0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset), le};
}

std::optional<std::size_t> der_length(const Bytes& head) {
    if (head.size() < 2 || head[0] != 0x30) return std::nullopt;
    if (head[1] < 0x80) return 2 + head[1];
    if (head[1] == 0x81 && head.size() >= 3) return 3 + head[2];
    if (head[1] == 0x82 && head.size() >= 4) return 4 + (static_cast<std::size_t>(head[2]) << 8 | head[3]);
    return std::nullopt;
}

Bytes data_of(const Bytes& response) { return Bytes(response.begin(), response.end() - 2); }

}  // namespace

CardRefusal::CardRefusal(const std::string& step, std::uint16_t status_word)
    : std::runtime_error(step + ": the card answered " + hex4(status_word)), status_word_(status_word) {}

Bytes JpkiCard::send(const Bytes& command) {
    Bytes response = channel_.transmit(command);
    exchanges_.push_back({command, response});
    return response;
}

Bytes JpkiCard::expect_ok(const Bytes& command, const std::string& step) {
    const Bytes response = send(command);
    if (status_of(response) != sw_ok) throw CardRefusal(step, status_of(response));
    return data_of(response);
}

void JpkiCard::select_jpki() {
    const Bytes response = send(select_aid(jpki_aid));
    if (status_of(response) != sw_ok)
        throw NotMyNumberCard("not a My Number card: SELECT of the JPKI AP answered " + hex4(status_of(response)));
}

PinStatus JpkiCard::auth_pin_status() {
    expect_ok(select_ef(0x0018), "SELECT EF 0018 (auth PIN)");
    const Bytes response = send(Bytes{0x00, 0x20, 0x00, 0x80});
    const std::uint16_t sw = status_of(response);
    PinStatus status;
    if (sw == sw_blocked || sw == 0x63C0) {
        status.blocked = true;
        status.tries_left = 0;
    } else if ((sw & 0xFFF0) == 0x63C0) {
        status.tries_left = sw & 0x0F;
    } else if (sw == sw_not_usable) {
        status.not_set = true;
    } else if (sw != sw_ok) {
        throw CardRefusal("VERIFY EF 0018 (ask tries left)", sw);
    }
    return status;
}

PinOutcome JpkiCard::verify_auth_pin(const std::string& pin, int& tries_left) {
    expect_ok(select_ef(0x0018), "SELECT EF 0018 (auth PIN)");
    const Bytes pin_bytes(pin.begin(), pin.end());
    const std::uint16_t sw = status_of(send(apdu({0x00, 0x20, 0x00, 0x80, static_cast<std::uint8_t>(pin.size())}, pin_bytes)));
    if (sw == sw_ok) return PinOutcome::Verified;
    if (sw == sw_blocked || sw == 0x63C0) {
        tries_left = 0;
        return PinOutcome::Blocked;
    }
    if ((sw & 0xFFF0) == 0x63C0) {
        tries_left = sw & 0x0F;
        return PinOutcome::Wrong;
    }
    throw CardRefusal("VERIFY EF 0018 (auth PIN)", sw);
}

Bytes JpkiCard::read_file(const std::string& step) {
    Bytes content = expect_ok(read_binary(0, 4), step);
    const auto total = der_length(content);
    if (!total) throw CardRefusal(step + ": the file does not start with a DER SEQUENCE (" + to_hex(content) + ")", sw_ok);
    while (content.size() < *total) {
        const std::size_t remaining = *total - content.size();
        const Bytes response = send(read_binary(content.size(), remaining >= 256 ? 0 : static_cast<std::uint8_t>(remaining)));
        const std::uint16_t sw = status_of(response);
        if (sw != sw_ok && sw != sw_end_reached) throw CardRefusal(step, sw);
        const Bytes chunk = data_of(response);
        content.insert(content.end(), chunk.begin(), chunk.end());
        if (chunk.empty() || sw == sw_end_reached) break;  // the file is shorter than its DER says: the caller sees it
    }
    return content;
}

Bytes JpkiCard::read_auth_certificate() {
    expect_ok(select_ef(0x000A), "SELECT EF 000A (auth certificate)");
    return read_file("READ BINARY EF 000A (auth certificate)");
}

Bytes JpkiCard::sign_with_auth_key(ByteView digest_info) {
    expect_ok(select_ef(0x0017), "SELECT EF 0017 (auth key)");
    return expect_ok(apdu({0x80, 0x2A, 0x00, 0x80, static_cast<std::uint8_t>(digest_info.size())}, digest_info, 0x00),
                     "COMPUTE DIGITAL SIGNATURE (auth key)");
}

std::size_t JpkiCard::institution_authentication(const Bytes& certificate, EVP_PKEY* key) {
    expect_ok(select_aid(kenmen_aid), "SELECT 券面 AP");
    // PSO VERIFY CERTIFICATE, extended length: the certificate is longer than 255 bytes.
    expect_ok(apdu({0x00, 0x2A, 0x00, 0xBE, 0x00, static_cast<std::uint8_t>(certificate.size() >> 8),
                    static_cast<std::uint8_t>(certificate.size())},
                   certificate),
              "PSO VERIFY CERTIFICATE (特定機関)");
    const Bytes challenge = expect_ok(Bytes{0x00, 0x84, 0x00, 0x00, 0x08}, "GET CHALLENGE");
    crypto::UniqueMdCtx context(EVP_MD_CTX_new());
    std::size_t length = 0;
    if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length, challenge.data(), challenge.size()) != 1)
        crypto::throw_openssl_error("signing the card's challenge with the institution key");
    Bytes signature(length);
    if (EVP_DigestSign(context.get(), signature.data(), &length, challenge.data(), challenge.size()) != 1)
        crypto::throw_openssl_error("signing the card's challenge with the institution key");
    signature.resize(length);
    expect_ok(apdu({0x00, 0x82, 0x00, 0x00, static_cast<std::uint8_t>(signature.size())}, signature), "EXTERNAL AUTHENTICATE (特定機関)");
    // The face image the reader compares with the patient: readable now, until the end of offset space.
    expect_ok(select_ef(0x0002), "SELECT EF 0002 (face image)");
    std::size_t size = 0;
    for (;;) {
        const Bytes response = send(read_binary(size, 0));
        const std::uint16_t sw = status_of(response);
        if (sw == sw_offset_past_end) break;
        if (sw != sw_ok && sw != sw_end_reached) throw CardRefusal("READ BINARY EF 0002 (face image)", sw);
        size += response.size() - 2;
        if (sw == sw_end_reached || response.size() - 2 < 256 || size >= 0x8000) break;
    }
    return size;
}

}  // namespace mynasim::client
