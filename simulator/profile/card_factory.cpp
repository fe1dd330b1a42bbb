#include "card_factory.hpp"

#include "profile/face_image.hpp"

#include "card/jpki_application.hpp"
#include "card/kenmen_application.hpp"
#include "card/kenmen_hojo_application.hpp"
#include "card/selectable_application.hpp"

namespace mynasim::profile {

namespace {

UnixTime resolve(const std::string& text, UnixTime reference, const yaml::SourceLocation& where) {
    std::string error;
    auto t = resolve_time(text, reference, error);
    if (!t) throw yaml::LoadError(where, error);
    return *t;
}

card::PinDefinition pin(std::string id, card::PinPolicy policy, std::string value, int tries, bool set) {
    card::PinDefinition definition;
    definition.id = std::move(id);
    definition.policy = policy;
    definition.value = std::move(value);
    definition.initial_tries_left = tries;
    definition.set = set;
    return definition;
}

crypto::SharedKey public_key_of(const Bytes& certificate_der) {
    const unsigned char* cursor = certificate_der.data();
    crypto::UniqueX509 cert(d2i_X509(nullptr, &cursor, static_cast<long>(certificate_der.size())));
    if (!cert) crypto::throw_openssl_error("parsing a CA certificate");
    return crypto::share_key(X509_get_pubkey(cert.get()));
}

}  // namespace

UnixTime reference_time(const CardProfile& profile) {
    return resolve(profile.reference_date, 0, yaml::SourceLocation{profile.file, 1, 1});
}

UnixTime revocation_time(const CardProfile& profile, const CertificateProfile& cert) {
    return resolve(cert.revoked_at, reference_time(profile), cert.where);
}

pki::CertificateSpec certificate_spec(const CardProfile& profile, const CertificateProfile& cert,
                                      pki::CertificatePurpose purpose) {
    const auto reference = reference_time(profile);
    pki::CertificateSpec spec;
    spec.serial = cert.serial;
    spec.subject = cert.subject;
    if (spec.subject.empty()) {
        const std::string role = purpose == pki::CertificatePurpose::Auth ? "auth" : "sign";
        spec.subject = {{"C", "JP"}, {"O", "mynasim TEST"}, {"CN", "TEST " + profile.person + " " + role}};
    }
    spec.not_before = resolve(cert.not_before, reference, cert.where);
    spec.not_after = resolve(cert.not_after, reference, cert.where);
    spec.key = cert.key;
    spec.issuer = cert.issuer;
    spec.purpose = purpose;
    spec.broken = cert.broken;
    return spec;
}

std::shared_ptr<const card::CardDefinition> make_card(const CardProfile& profile, const pki::TestPki& pki) {
    auto definition = std::make_shared<card::CardDefinition>();
    definition->profile_name = profile.name;
    definition->atr = profile.atr.empty() ? card::my_number_card_atr() : profile.atr;

    if (profile.jpki_present) {
        card::JpkiContent content;
        auto issue = [&](const CertificateProfile& cert, pki::CertificatePurpose purpose) {
            try {
                return pki.issue(certificate_spec(profile, cert, purpose));
            } catch (const pki::PkiError& e) {
                throw yaml::LoadError(cert.where, e.what());
            }
        };
        auto auth = issue(profile.auth_certificate, pki::CertificatePurpose::Auth);
        auto sign = issue(profile.sign_certificate, pki::CertificatePurpose::Sign);
        content.auth_certificate = auth.der;
        content.auth_key = auth.key;
        content.sign_certificate = sign.der;
        content.sign_key = sign.key;
        content.sign_certificate_loaded = !profile.face_auth_only;
        // The CA EFs hold the CA that should have issued the certificate, as on a real card.
        content.auth_ca_certificate = pki.ca_certificate(pki::CaId::JpkiAuth);
        content.sign_ca_certificate = pki.ca_certificate(pki::CaId::JpkiSign);
        definition->applications.push_back(card::make_jpki_application(content));
        definition->pins.push_back(pin(card::auth_pin_id, card::auth_pin_policy(), profile.auth_pin,
                                       profile.auth_pin_tries_left, !profile.face_auth_only));
        definition->pins.push_back(pin(card::sign_pin_id, card::sign_pin_policy(), profile.sign_pin,
                                       profile.sign_pin_tries_left, !profile.face_auth_only));
    }
    if (profile.kenmen_hojo_present) {
        card::KenmenHojoContent content{profile.my_number, profile.name_kanji, profile.address, profile.birth_date,
                                        profile.sex};
        definition->applications.push_back(card::make_kenmen_hojo_application(content));
        definition->pins.push_back(pin(card::kenmen_hojo_pin_id, card::kenmen_hojo_pin_policy(),
                                       profile.kenmen_hojo_pin, profile.kenmen_hojo_pin_tries_left, !profile.face_auth_only));
    }
    if (profile.kenmen_present) {
        definition->applications.push_back(card::make_kenmen_application(
            profile.face_image.empty() ? synthetic_face_jpeg(profile.person) : profile.face_image));
        definition->institution_ca_public_key = public_key_of(pki.ca_certificate(pki::CaId::TokuteiKikan));
    }
    if (profile.juki_present) definition->applications.push_back(card::make_juki_application());
    if (profile.common_present) definition->applications.push_back(card::make_common_application());

    definition->faults.latency_ms = profile.latency_ms;
    definition->faults.mute_after = profile.mute_after_apdus;
    definition->faults.tear_after = profile.tear_after_apdus;
    for (const auto& rule : profile.force_status)
        definition->faults.forced.push_back(card::ForcedStatus{rule.command_prefix, rule.sw, rule.times});
    return definition;
}

}  // namespace mynasim::profile
