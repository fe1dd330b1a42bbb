// mynasim profile check FILE… | profile show FILE
#include <iostream>

#include "base/file_io.hpp"
#include "profile/face_image.hpp"

#include "cli/commands.hpp"
#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"

namespace mynasim::cli {

namespace {

void print_certificate(const profile::CardProfile& p, const profile::CertificateProfile& cert, const char* what,
                       pki::CertificatePurpose purpose) {
    const auto spec = profile::certificate_spec(p, cert, purpose);
    std::cout << "  " << what << ": serial " << cert.serial << ", issuer " << pki::ca_name(cert.issuer) << ", key "
              << cert.key << ", valid " << format_time(spec.not_before) << " to "
              << format_time(spec.not_after);
    if (cert.revoked) std::cout << ", REVOKED at " << format_time(profile::revocation_time(p, cert));
    if (cert.broken == pki::Breakage::Truncated) std::cout << ", TRUNCATED DER";
    if (cert.broken == pki::Breakage::BadSignature) std::cout << ", BAD SIGNATURE";
    if (!cert.renews.empty()) std::cout << ", renews " << cert.renews;
    std::cout << "\n";
}

}  // namespace

void add_profile_commands(CLI::App& app, int& exit_code) {
    auto* profile = app.add_subcommand("profile", "Validate and inspect card profiles (card-profiles/*.yaml)");
    profile->require_subcommand(1);

    auto files = std::make_shared<std::vector<std::string>>();
    auto quiet = std::make_shared<bool>(false);
    auto* check = profile->add_subcommand(
        "check", "Load each profile strictly (extends, keys, types, PINs, certificates) and build its card.\n"
                 "Prints 'ok' per profile, or file:line:col: message on stderr; exits 1 if any profile is bad.");
    check->add_option("files", *files, "Profile files")->required()->check(CLI::ExistingFile);
    check->add_flag("-q,--quiet", *quiet, "Print only errors");
    check->callback([files, quiet, &exit_code] {
        const pki::TestPki pki;
        int bad = 0;
        for (const auto& file : *files) {
            try {
                const auto p = profile::load_profile(file);
                profile::make_card(p, pki);
                if (!*quiet) std::cout << "ok    " << file << "  (person " << p.person << ")\n";
            } catch (const yaml::LoadError& e) {
                std::cerr << e.what() << "\n";
                ++bad;
            } catch (const std::exception& e) {
                std::cerr << file << ":1:1: " << e.what() << "\n";
                ++bad;
            }
        }
        if (!*quiet || bad)
            std::cout << files->size() - static_cast<std::size_t>(bad) << " of " << files->size()
                      << " profiles ok\n";
        exit_code = bad ? exit_failed : exit_ok;
    });

    auto face_file = std::make_shared<std::string>();
    auto face_out = std::make_shared<std::string>();
    auto* face_command = profile->add_subcommand("face-image", "Write the face image the profile's card holds (券面 AP EF 0002, a JPEG) to a file");
    face_command->add_option("file", *face_file, "Profile file")->required()->check(CLI::ExistingFile);
    face_command->add_option("-o,--out", *face_out, "The JPEG file to write")->required();
    face_command->callback([face_file, face_out, &exit_code] {
        try {
            const auto p = profile::load_profile(*face_file);
            const Bytes image = p.face_image.empty() ? profile::synthetic_face_jpeg(p.person) : p.face_image;
            write_file_atomically(*face_out, std::string_view(reinterpret_cast<const char*>(image.data()), image.size()));
            std::cout << *face_out << ": " << image.size() << " bytes\n";
            exit_code = exit_ok;
        } catch (const yaml::LoadError& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_failed;
        } catch (const std::exception& e) {
            std::cerr << "mynasim profile face-image: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });

    auto show_file = std::make_shared<std::string>();
    auto* show = profile->add_subcommand("show", "Print a profile after extends: is resolved");
    show->add_option("file", *show_file, "Profile file")->required()->check(CLI::ExistingFile);
    show->callback([show_file, &exit_code] {
        try {
            const auto p = profile::load_profile(*show_file);
            std::cout << p.name << ": " << p.description << "\n";
            std::cout << "  files: ";
            for (std::size_t i = 0; i < p.chain.size(); ++i) std::cout << (i ? " <- " : "") << p.chain[i];
            std::cout << "\n  person: " << p.person << ", reference date " << p.reference_date << "\n";
            std::cout << "  ATR: " << (p.atr.empty() ? "3BE000FF8131FE4514 (My Number card)" : to_hex(p.atr)) << "\n";
            if (p.jpki_present) {
                std::cout << "  JPKI AP: auth PIN " << p.auth_pin << " (" << p.auth_pin_tries_left
                          << " tries left), sign PIN " << p.sign_pin << " (" << p.sign_pin_tries_left
                          << " tries left)\n";
                print_certificate(p, p.auth_certificate, "auth certificate", pki::CertificatePurpose::Auth);
                print_certificate(p, p.sign_certificate, "sign certificate", pki::CertificatePurpose::Sign);
            } else {
                std::cout << "  JPKI AP: absent\n";
            }
            if (p.kenmen_hojo_present)
                std::cout << "  券面事項入力補助 AP: PIN " << p.kenmen_hojo_pin << " (" << p.kenmen_hojo_pin_tries_left
                          << " tries left), " << p.name_kanji << ", born " << p.birth_date << "\n";
            if (p.kenmen_present) {
                const Bytes face = p.face_image.empty() ? profile::synthetic_face_jpeg(p.person) : p.face_image;
                profile::JpegFacts facts;
                profile::face_image_problem(face, &facts);
                std::cout << "  券面 AP: face image " << (p.face_image.empty() ? "drawn (TEST)" : "from kenmen.face_image_file") << ", JPEG "
                          << facts.width << " x " << facts.height << ", " << face.size() << " bytes\n";
            }
            std::cout << "  counters persist across restarts: " << (p.persist_counters ? "yes" : "no") << "\n";
            if (p.latency_ms || p.mute_after_apdus || p.tear_after_apdus || !p.force_status.empty()) {
                std::cout << "  faults:";
                if (p.latency_ms) std::cout << " latency " << p.latency_ms << " ms;";
                if (p.mute_after_apdus) std::cout << " mute after " << *p.mute_after_apdus << " APDUs;";
                if (p.tear_after_apdus) std::cout << " torn out after " << *p.tear_after_apdus << " APDUs;";
                for (const auto& rule : p.force_status)
                    std::cout << " " << to_hex(rule.command_prefix) << "… → " << std::hex << rule.sw << std::dec << ";";
                std::cout << "\n";
            }
            exit_code = exit_ok;
        } catch (const yaml::LoadError& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
