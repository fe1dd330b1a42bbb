#include "pin_confirmation.hpp"

#include <chrono>
#include <thread>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "card/jpki_application.hpp"
#include "crypto/openssl_handles.hpp"
#include "crypto/signature.hpp"
#include "crypto/x509.hpp"

namespace mynasim::harness {

namespace {

using card::ApduExchange;

// What a step needs from the answer.
struct Step {
    PinConfirmation& result;
    card::Card& card;

    // Sends and records; returns the status word, or nullopt if the card did not answer.
    std::optional<card::StatusWord> send(const Bytes& command, Bytes* data = nullptr) {
        result.exchanges.push_back(card::exchange(card, command));
        const ApduExchange& e = result.exchanges.back();
        // In-process, this flow is the transport: it honours the card's latency fault.
        if (e.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(e.delay_ms));
        if (!e.response) {
            result.failure = e.command_text + ": " + e.response_text;
            return std::nullopt;
        }
        const Bytes& r = *e.response;
        if (data) data->assign(r.begin(), r.end() - 2);
        return static_cast<card::StatusWord>(r[r.size() - 2] << 8 | r[r.size() - 1]);
    }

    bool expect_ok(const Bytes& command, Bytes* data = nullptr) {
        auto word = send(command, data);
        if (!word) return false;
        if (*word != card::sw::ok) {
            result.failure = result.exchanges.back().command_text + ": " + result.exchanges.back().response_text;
            return false;
        }
        return true;
    }
};

Bytes select_ef(std::uint16_t fid) {
    return {0x00, 0xA4, 0x02, 0x0C, 0x02, static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)};
}

Bytes read_binary(std::size_t offset, std::uint8_t le) {
    return {0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset), le};
}

// Total DER length from the first four bytes (SEQUENCE with short, 81 or 82 length form).
std::optional<std::size_t> der_total_length(const Bytes& head) {
    if (head.size() < 2 || head[0] != 0x30) return std::nullopt;
    if (head[1] < 0x80) return 2 + head[1];
    if (head[1] == 0x81 && head.size() >= 3) return 3 + head[2];
    if (head[1] == 0x82 && head.size() >= 4) return 4 + (static_cast<std::size_t>(head[2]) << 8 | head[3]);
    return std::nullopt;
}

std::string asn1_time_text(const ASN1_TIME* t) {
    crypto::UniqueBio bio(BIO_new(BIO_s_mem()));
    ASN1_TIME_print(bio.get(), t);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string summarize(X509* cert) {
    std::string text;
    text += "serial 0x" + crypto::serial_hex(cert);
    crypto::UniqueBio bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    text += ", subject " + std::string(data, static_cast<std::size_t>(n));
    text += ", valid " + asn1_time_text(X509_get0_notBefore(cert)) + " to " + asn1_time_text(X509_get0_notAfter(cert));
    return text;
}

}  // namespace

PinConfirmation run_pin_confirmation(card::Card& card, const std::string& pin, const Bytes& challenge,
                                     const Bytes& ca_certificate) {
    PinConfirmation result;
    result.challenge = challenge;
    Step step{result, card};

    Bytes select_jpki{0x00, 0xA4, 0x04, 0x0C, 0x0A};
    const Bytes aid = card::jpki_aid();
    select_jpki.insert(select_jpki.end(), aid.begin(), aid.end());
    if (!step.expect_ok(select_jpki)) return result;

    // Ask the auth PIN's counter first (never costs a try); a blocked PIN is never tried.
    if (!step.expect_ok(select_ef(0x0018))) return result;
    auto counter = step.send(Bytes{0x00, 0x20, 0x00, 0x80});
    if (!counter) return result;
    if ((*counter & 0xFFF0) == 0x63C0) result.tries_left_before = *counter & 0x0F;
    if (*counter == card::sw::authentication_method_blocked || result.tries_left_before == 0) {
        result.tries_left_before = 0;
        result.failure = "auth PIN is blocked: no VERIFY sent";
        return result;
    }

    // Read the auth certificate as OpenSC does: 4 bytes for the DER length, then chunks of up to 256.
    if (!step.expect_ok(select_ef(0x000A))) return result;
    Bytes head;
    if (!step.expect_ok(read_binary(0, 4), &head)) return result;
    const auto total = der_total_length(head);
    if (!total) {
        result.failure = "auth certificate does not start with a DER SEQUENCE: " + to_hex(head);
        return result;
    }
    result.certificate = head;
    while (result.certificate.size() < *total) {
        const std::size_t remaining = *total - result.certificate.size();
        Bytes chunk;
        auto word = step.send(read_binary(result.certificate.size(), remaining >= 256 ? 0 : static_cast<std::uint8_t>(remaining)), &chunk);
        if (!word) return result;
        if ((*word != card::sw::ok && *word != card::sw::end_of_file_before_le) || chunk.empty()) {
            result.failure = "reading the auth certificate: " + result.exchanges.back().response_text +
                             " at offset " + std::to_string(result.certificate.size()) + " of " + std::to_string(*total);
            return result;
        }
        result.certificate.insert(result.certificate.end(), chunk.begin(), chunk.end());
        if (*word == card::sw::end_of_file_before_le) break;
    }
    auto cert = crypto::parse_certificate(result.certificate);
    if (!cert) {
        result.failure = "the auth certificate read from the card is not a valid X.509 certificate (" +
                         std::to_string(result.certificate.size()) + " bytes)";
        return result;
    }
    result.certificate_summary = summarize(cert.get());
    if (auto ca = crypto::parse_certificate(ca_certificate)) {
        crypto::SharedKey ca_key = crypto::share_key(X509_get_pubkey(ca.get()));
        result.certificate_chains_to_ca = X509_verify(cert.get(), ca_key.get()) == 1;
        ERR_clear_error();
    }

    // VERIFY the auth PIN, then sign DigestInfo(SHA-256(challenge)) with the auth key.
    if (!step.expect_ok(select_ef(0x0018))) return result;
    Bytes verify{0x00, 0x20, 0x00, 0x80, static_cast<std::uint8_t>(pin.size())};
    verify.insert(verify.end(), pin.begin(), pin.end());
    if (!step.expect_ok(verify)) return result;
    if (!step.expect_ok(select_ef(0x0017))) return result;
    const Bytes digest_info = crypto::sha256_digest_info(challenge);
    Bytes sign{0x80, 0x2A, 0x00, 0x80, static_cast<std::uint8_t>(digest_info.size())};
    sign.insert(sign.end(), digest_info.begin(), digest_info.end());
    sign.push_back(0x00);
    if (!step.expect_ok(sign, &result.signature)) return result;

    crypto::SharedKey public_key = crypto::share_key(X509_get_pubkey(cert.get()));
    result.signature_verified = crypto::verify_pkcs1_sha256(public_key.get(), challenge, result.signature);
    if (!result.signature_verified) {
        result.failure = "the signature does not verify with the certificate's public key";
        return result;
    }
    result.completed = true;
    return result;
}

}  // namespace mynasim::harness
