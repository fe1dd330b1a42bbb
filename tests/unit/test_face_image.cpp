// The card's face image (face_image.hpp): the drawn TEST face is a whole JPEG of its size, the same for the
// same person and another for another; the checks of a profile's image name what is wrong.
#include <boost/test/unit_test.hpp>

#include <string>

#include "base/file_io.hpp"
#include "profile/face_image.hpp"
#include "test_support.hpp"

using namespace mynasim;

BOOST_AUTO_TEST_SUITE(test_face_image)

BOOST_AUTO_TEST_CASE(the_synthetic_face_is_a_whole_jpeg_marked_test) {
    const Bytes face = profile::synthetic_face_jpeg("TEST-0001");
    profile::JpegFacts facts;
    BOOST_TEST(profile::face_image_problem(face, &facts) == "");
    BOOST_TEST(facts.width == 144u);
    BOOST_TEST(facts.height == 180u);
    BOOST_TEST(facts.components == 3u);
    BOOST_TEST(face.size() < profile::face_image_max_bytes);
    BOOST_TEST(face.size() > 1000u);  // a picture, not a marker
    const std::string text(face.begin(), face.end());
    BOOST_TEST(text.find("TEST synthetic face image for TEST-0001") != std::string::npos);  // the JPEG comment
    BOOST_TEST((profile::synthetic_face_jpeg("TEST-0001") == face));
    BOOST_TEST((profile::synthetic_face_jpeg("TEST-0002") != face));
}

BOOST_AUTO_TEST_CASE(what_is_not_a_face_image) {
    BOOST_TEST(profile::face_image_problem({}) == "the image is empty");
    const Bytes gif{'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0};
    BOOST_TEST(profile::face_image_problem(gif).rfind("not a JPEG file", 0) == 0);
    Bytes face = profile::synthetic_face_jpeg("TEST-0001");
    Bytes cut(face.begin(), face.begin() + static_cast<std::ptrdiff_t>(face.size() / 2));
    BOOST_TEST(profile::face_image_problem(cut).rfind("the JPEG data is damaged or cut short", 0) == 0);
    Bytes garbage{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x02, 0x12, 0x34};
    BOOST_TEST(profile::face_image_problem(garbage).rfind("not a decodable JPEG", 0) == 0);
    Bytes big = face;
    big.resize(profile::face_image_max_bytes + 1, 0);
    BOOST_TEST(profile::face_image_problem(big).find("at most 32767") != std::string::npos);
    // the fixture a broken profile names is such a cut image (tests/data/bad-profiles/face-image-cut.yaml)
    const std::string fixture = read_file(test::source_path("tests/data/images/cut-face.jpg"));
    BOOST_TEST(profile::face_image_problem(Bytes(fixture.begin(), fixture.end())).rfind("the JPEG data is damaged", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
