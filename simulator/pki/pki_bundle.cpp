#include "pki_bundle.hpp"

#include <fstream>

namespace mynasim::pki {

namespace {

void write(const std::filesystem::path& path, const std::string& content) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (ec || !out) throw PkiError("cannot write " + path.string());
}

}  // namespace

void write_bundle(const TestPki& pki, const std::filesystem::path& dir, const BundleContents& contents) {
    for (CaId id : all_cas())
        write(dir / "ca" / (std::string(ca_name(id)) + ".pem"), certificate_pem(pki.ca_certificate(id)));
    write(dir / "ca" / "jpki-bundle.pem",
          certificate_pem(pki.ca_certificate(CaId::JpkiAuth)) + certificate_pem(pki.ca_certificate(CaId::JpkiSign)));
    const UnixTime next_update = contents.reference + 365 * 86400;
    write(dir / "crl" / "jpki-auth-ca.crl",
          crl_pem(pki.crl(CaId::JpkiAuth, contents.revoked_auth, contents.reference, next_update)));
    write(dir / "crl" / "jpki-sign-ca.crl",
          crl_pem(pki.crl(CaId::JpkiSign, contents.revoked_sign, contents.reference, next_update)));
    write(dir / "server" / "server.crt", certificate_pem(pki.server_tls_certificate().der));
    write(dir / "server" / "server.key", KeyStore::builtin().private_pem("server-tls"));
    write(dir / "tokutei-kikan" / "institution.crt", certificate_pem(pki.institution_certificate().der));
    write(dir / "tokutei-kikan" / "institution.key", KeyStore::builtin().private_pem("institution"));
}

}  // namespace mynasim::pki
