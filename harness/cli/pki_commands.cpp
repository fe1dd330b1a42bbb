// mynasim pki emit
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "pki/pki_bundle.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"

namespace mynasim::cli {

namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string as_text(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

int emit(const std::filesystem::path& out, const std::vector<std::string>& files) {
    const pki::TestPki pki;
    pki::BundleContents contents;
    for (const auto& file : files) {
        const auto p = profile::load_profile(file);
        if (!p.jpki_present) continue;
        for (auto [cert, purpose, name] :
             {std::tuple{&p.auth_certificate, pki::CertificatePurpose::Auth, "auth"},
              std::tuple{&p.sign_certificate, pki::CertificatePurpose::Sign, "sign"}}) {
            const auto issued = pki.issue(profile::certificate_spec(p, *cert, purpose));
            const auto dir = out / "cards" / p.name;
            write_file(dir / (std::string(name) + ".der"), as_text(issued.der));
            if (cert->broken != pki::Breakage::Truncated)
                write_file(dir / (std::string(name) + ".pem"), pki::certificate_pem(issued.der));
            if (cert->revoked) {
                pki::RevokedSerial revoked{cert->serial, profile::revocation_time(p, *cert)};
                (cert->issuer == pki::CaId::JpkiSign ? contents.revoked_sign : contents.revoked_auth).push_back(revoked);
            }
        }
    }
    pki::write_bundle(pki, out, contents);
    std::cout << "wrote the TEST PKI bundle to " << out.string() << " (" << contents.revoked_auth.size()
              << " revoked auth, " << contents.revoked_sign.size() << " revoked sign certificates; "
              << files.size() << " profiles)\n";
    return exit_ok;
}

}  // namespace

void add_pki_commands(CLI::App& app, int& exit_code) {
    auto* pki_command = app.add_subcommand("pki", "The TEST PKI: CA certificates, CRLs, server and institution certificates");
    pki_command->require_subcommand(1);
    auto out = std::make_shared<std::string>();
    auto files = std::make_shared<std::vector<std::string>>();
    auto* emit_command = pki_command->add_subcommand(
        "emit", "Write CA certificates, CRLs (with the revoked certificates of the given profiles), the mock\n"
                "server's TLS certificate and key, the 特定機関 certificate and key, and cards/<profile>/{auth,sign}.{der,pem}");
    emit_command->add_option("-o,--out", *out, "Output directory")->required();
    emit_command->add_option("profiles", *files, "Card profiles whose certificates (and revocations) to include")
        ->check(CLI::ExistingFile);
    emit_command->callback([out, files, &exit_code] {
        try {
            exit_code = emit(*out, *files);
        } catch (const std::exception& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
