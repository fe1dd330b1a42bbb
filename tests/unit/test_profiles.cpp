// Card profiles: every shipped profile loads and builds; every broken profile in tests/data/bad-profiles
// fails with the file:line:col and message written in its first line ("# expect: L:C: text").
#include <boost/test/unit_test.hpp>

#include "base/file_io.hpp"
#include "profile/face_image.hpp"

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

using namespace mynasim;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> yaml_files(const std::string& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_profiles)

BOOST_AUTO_TEST_CASE(every_shipped_profile_loads_and_builds) {
    const auto files = yaml_files(test::source_path("card-profiles"));
    BOOST_TEST(files.size() >= 15u);
    for (const auto& file : files) {
        BOOST_TEST_CONTEXT(file.string()) {
            const auto p = profile::load_profile(file.string());
            BOOST_TEST(!p.person.empty());
            BOOST_TEST(p.name == file.stem().string());
            const auto definition = profile::make_card(p, test::shared_pki());
            BOOST_TEST(!definition->atr.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(every_broken_profile_fails_at_the_right_place) {
    const auto files = yaml_files(test::source_path("tests/data/bad-profiles"));
    BOOST_TEST(files.size() >= 30u);
    for (const auto& file : files) {
        std::ifstream in(file);
        std::string first;
        std::getline(in, first);
        const std::string marker = "# expect: ";
        BOOST_REQUIRE_MESSAGE(first.rfind(marker, 0) == 0, file << ": first line must be '# expect: L:C: message'");
        const std::string expected = first.substr(marker.size());
        const auto colon1 = expected.find(':');
        const auto colon2 = expected.find(':', colon1 + 1);
        const std::string where = expected.substr(0, colon2);         // "L:C"
        const std::string text = expected.substr(colon2 + 2);          // message fragment
        BOOST_TEST_CONTEXT(file.filename().string()) {
            try {
                const auto p = profile::load_profile(file.string());
                profile::make_card(p, test::shared_pki());
                BOOST_ERROR("loaded without error, expected " << expected);
            } catch (const yaml::LoadError& e) {
                const std::string what = e.what();
                const std::string location = std::to_string(e.where().line) + ":" + std::to_string(e.where().column);
                BOOST_CHECK_MESSAGE(location == where, "location " << location << ", expected " << where << " in: " << what);
                BOOST_CHECK_MESSAGE(what.find(text) != std::string::npos, "message '" << what << "' lacks '" << text << "'");
                BOOST_CHECK_MESSAGE(what.rfind(e.where().file + ":", 0) == 0, "message must start with the file: " << what);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(extends_merges_field_by_field) {
    const auto p = profile::load_profile(test::profile_path("renewed-auth-cert"));
    BOOST_TEST(p.auth_certificate.serial == "0x1101");
    BOOST_TEST(p.auth_certificate.key == "card-03");
    BOOST_TEST(p.auth_certificate.renews == "0x1001");
    BOOST_TEST(p.auth_certificate.not_after == "+4y");   // inherited from valid
    BOOST_TEST(p.person == "TEST-0001");
    BOOST_TEST(p.auth_pin == "1234");
    BOOST_REQUIRE(p.chain.size() == 2u);
    BOOST_TEST(p.chain.back() == test::profile_path("renewed-auth-cert"));
}

BOOST_AUTO_TEST_CASE(profile_from_text_resolves_extends_against_a_directory) {
    const auto p = profile::load_profile_text("extends: valid\njpki:\n  auth_pin_tries_left: 1\n", "inline.yaml",
                                              test::source_path("card-profiles"));
    BOOST_TEST(p.auth_pin_tries_left == 1);
    BOOST_TEST(p.sign_pin_tries_left == 5);
    BOOST_CHECK_THROW(profile::load_profile_text("jpki: [", "inline.yaml", "."), yaml::LoadError);
}

BOOST_AUTO_TEST_CASE(same_profile_gives_byte_identical_certificates) {
    const auto a = test::card_definition("valid");
    const auto b = test::card_definition("valid");
    const auto* ja = a->application(Bytes{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01});
    const auto* jb = b->application(Bytes{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01});
    BOOST_REQUIRE(ja && jb);
    BOOST_TEST(ja->file(0x000A)->data == jb->file(0x000A)->data);
    BOOST_TEST(ja->file(0x0001)->data == jb->file(0x0001)->data);
}

BOOST_AUTO_TEST_CASE(profiles_ask_for_the_certificates_they_name) {
    const auto expired = profile::load_profile(test::profile_path("expired-auth-cert"));
    const auto spec = profile::certificate_spec(expired, expired.auth_certificate, pki::CertificatePurpose::Auth);
    BOOST_TEST(spec.not_after < profile::reference_time(expired));
    const auto future = profile::load_profile(test::profile_path("not-yet-valid-auth-cert"));
    const auto future_spec = profile::certificate_spec(future, future.auth_certificate, pki::CertificatePurpose::Auth);
    BOOST_TEST(future_spec.not_before > profile::reference_time(future));
    const auto unknown = profile::load_profile(test::profile_path("unknown-issuer-auth-cert"));
    BOOST_TEST((unknown.auth_certificate.issuer == pki::CaId::Unknown));
    const auto revoked = profile::load_profile(test::profile_path("revoked-auth-cert"));
    BOOST_TEST(revoked.auth_certificate.revoked);
    BOOST_TEST(profile::revocation_time(revoked, revoked.auth_certificate) < profile::reference_time(revoked));
}

// A profile's face image file is what its card holds, byte for byte (and was checked when it loaded).
BOOST_AUTO_TEST_CASE(a_face_image_file_is_served_as_it_is) {
    const auto p = profile::load_profile(test::source_path("card-profiles/own-face-image.yaml"));
    const std::string file = read_file(test::source_path("card-profiles/images/test-photo.jpg"));
    BOOST_TEST((p.face_image == Bytes(file.begin(), file.end())));
    BOOST_TEST(profile::face_image_problem(p.face_image) == "");
}

BOOST_AUTO_TEST_SUITE_END()
