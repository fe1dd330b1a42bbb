#include "card_session.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "client/jpki_card.hpp"
#include "crypto/openssl_handles.hpp"
#include "crypto/signature.hpp"
#include "crypto/x509.hpp"
#include "runner/in_process_card_channel.hpp"

namespace mynasim::harness {

namespace {

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

// The card steps and the checks; returns with session.failure set where the session stopped.
void drive(client::JpkiCard& jpki, const InProcessCardChannel& channel, const std::string& pin, const Bytes& ca_certificate,
           CardSession& session) {
    // A command the card refused or did not answer stops the session; the failure is that exchange, decoded.
    const auto stopped_at_last_exchange = [&] {
        const card::ApduExchange& e = channel.exchanges().back();
        session.failure = e.command_text + ": " + e.response_text;
    };
    try {
        jpki.select_jpki();
        // The auth PIN's counter first (never costs a try); a blocked PIN is never tried.
        const client::PinStatus status = jpki.auth_pin_status();
        if (status.tries_left >= 0) session.tries_left_before = status.tries_left;
        if (status.blocked) {
            session.failure = "auth PIN is blocked: no VERIFY sent";
            return;
        }
        session.certificate = jpki.read_auth_certificate();
        auto cert = crypto::parse_certificate(session.certificate);
        if (!cert) {
            session.failure = "the auth certificate read from the card is not a valid X.509 certificate (" +
                              std::to_string(session.certificate.size()) + " bytes)";
            return;
        }
        session.certificate_summary = summarize(cert.get());
        if (auto ca = crypto::parse_certificate(ca_certificate)) {
            crypto::SharedKey ca_key = crypto::share_key(X509_get_pubkey(ca.get()));
            session.certificate_chains_to_ca = X509_verify(cert.get(), ca_key.get()) == 1;
            ERR_clear_error();
        }

        int tries_left = status.tries_left;
        if (jpki.verify_auth_pin(pin, tries_left) != client::PinOutcome::Verified) {
            stopped_at_last_exchange();
            return;
        }
        session.signature = jpki.sign_with_auth_key(crypto::sha256_digest_info(session.challenge));
        crypto::SharedKey public_key = crypto::share_key(X509_get_pubkey(cert.get()));
        session.signature_verified = crypto::verify_pkcs1_sha256(public_key.get(), session.challenge, session.signature);
        if (!session.signature_verified) {
            session.failure = "the signature does not verify with the certificate's public key";
            return;
        }
        session.completed = true;
    } catch (const client::CardRefusal& e) {
        // 90 00 with content the driver cannot use (a file that is not DER): its own words say what.
        if (e.status_word() == 0x9000) session.failure = e.what();
        else stopped_at_last_exchange();
    } catch (const client::NotMyNumberCard&) {
        stopped_at_last_exchange();
    } catch (const client::CardError&) {
        stopped_at_last_exchange();
    }
}

}  // namespace

CardSession run_card_session(card::Card& card, const std::string& pin, const Bytes& challenge, const Bytes& ca_certificate) {
    CardSession session;
    session.challenge = challenge;
    InProcessCardChannel channel(card);
    client::JpkiCard jpki(channel);
    drive(jpki, channel, pin, ca_certificate, session);
    session.exchanges = channel.exchanges();
    return session;
}

}  // namespace mynasim::harness
