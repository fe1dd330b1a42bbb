#pragma once
// Turns a loaded profile into a card definition: certificates from the test PKI, the APs it asks for.
#include <memory>

#include "card/card_definition.hpp"
#include "pki/authorities.hpp"
#include "profile/profile.hpp"

namespace mynasim::profile {

// The certificate spec a profile's certificate block stands for (times resolved, subject defaulted).
pki::CertificateSpec certificate_spec(const CardProfile& profile, const CertificateProfile& cert,
                                      pki::CertificatePurpose purpose);
// The profile's reference date as a time.
UnixTime reference_time(const CardProfile& profile);
// When the profile says the certificate is revoked: when (resolved against the reference date).
UnixTime revocation_time(const CardProfile& profile, const CertificateProfile& cert);

// Throws yaml::LoadError (pointing at the certificate block) when the PKI refuses a certificate.
std::shared_ptr<const card::CardDefinition> make_card(const CardProfile& profile, const pki::TestPki& pki);


}  // namespace mynasim::profile
