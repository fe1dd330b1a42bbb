// The expiry notice and grace of an auth certificate, on the boundary seconds, in both ways of counting.
#include <boost/test/unit_test.hpp>

#include <string>

#include "base/time.hpp"
#include "onshi/service/certificate_expiry.hpp"

using namespace mynasim;
using onshi::ExpiryStage;

namespace {

UnixTime at(const std::string& text) {
    std::string error;
    const auto t = resolve_time(text, default_reference_time, error);
    BOOST_REQUIRE_MESSAGE(t, text << ": " << error);
    return *t;
}

onshi::ExpiryRule rule(onshi::GraceCount count) {
    onshi::ExpiryRule r;
    r.count = count;
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_certificate_expiry)

BOOST_AUTO_TEST_CASE(notice_from_three_months_before_grace_for_three_months_after) {
    const auto from_expiry = rule(onshi::GraceCount::FromExpiry);
    const UnixTime not_after = at("2030-04-01T00:00:00Z");  // 09:00 on 2030-04-01 in Japan
    BOOST_TEST(onshi::notice_start(not_after, from_expiry) == at("2030-01-01T00:00:00Z"));
    BOOST_TEST(onshi::grace_end(not_after, from_expiry) == at("2030-07-01T00:00:00Z"));
    BOOST_TEST((onshi::expiry_stage(not_after, at("2029-12-31T23:59:59Z"), from_expiry) == ExpiryStage::Valid));
    BOOST_TEST((onshi::expiry_stage(not_after, at("2030-01-01T00:00:00Z"), from_expiry) == ExpiryStage::ExpiresSoon));
    BOOST_TEST((onshi::expiry_stage(not_after, not_after, from_expiry) == ExpiryStage::ExpiresSoon));  // notAfter itself is in force
    BOOST_TEST((onshi::expiry_stage(not_after, not_after + 1, from_expiry) == ExpiryStage::InGrace));
    BOOST_TEST((onshi::expiry_stage(not_after, at("2030-07-01T00:00:00Z"), from_expiry) == ExpiryStage::InGrace));
    BOOST_TEST((onshi::expiry_stage(not_after, at("2030-07-01T00:00:01Z"), from_expiry) == ExpiryStage::Expired));
}

BOOST_AUTO_TEST_CASE(counted_from_the_month_end_the_grace_lasts_to_the_third_month_end_in_japan) {
    const auto month_end = rule(onshi::GraceCount::FromMonthEnd);
    const UnixTime not_after = at("2030-04-01T00:00:00Z");
    BOOST_TEST(onshi::grace_end(not_after, month_end) == at("2030-07-31T14:59:59Z"));  // 23:59:59 on 07-31 in Japan
    BOOST_TEST((onshi::expiry_stage(not_after, at("2030-07-31T14:59:59Z"), month_end) == ExpiryStage::InGrace));
    BOOST_TEST((onshi::expiry_stage(not_after, at("2030-07-31T15:00:00Z"), month_end) == ExpiryStage::Expired));
    BOOST_TEST(onshi::notice_start(not_after, month_end) == at("2030-01-01T00:00:00Z"));  // the notice counts the same way
    // 01:00 on 04-01 in Japan is still March in UTC: the month is Japan's.
    BOOST_TEST(onshi::grace_end(at("2030-03-31T16:00:00Z"), month_end) == at("2030-07-31T14:59:59Z"));
    BOOST_TEST(onshi::grace_end(at("2030-03-31T14:00:00Z"), month_end) == at("2030-06-30T14:59:59Z"));
}

BOOST_AUTO_TEST_CASE(a_day_missing_in_the_target_month_is_its_last) {
    const auto from_expiry = rule(onshi::GraceCount::FromExpiry);
    const UnixTime not_after = at("2030-05-31T03:00:00Z");  // 12:00 on 05-31 in Japan
    BOOST_TEST(onshi::notice_start(not_after, from_expiry) == at("2030-02-28T03:00:00Z"));
    BOOST_TEST(onshi::grace_end(not_after, from_expiry) == at("2030-08-31T03:00:00Z"));
    BOOST_TEST(onshi::grace_end(at("2031-11-30T03:00:00Z"), from_expiry) == at("2032-02-29T03:00:00Z"));  // a leap year
}

BOOST_AUTO_TEST_CASE(the_ways_of_counting_have_names) {
    BOOST_TEST((onshi::grace_count_named("expiry") == onshi::GraceCount::FromExpiry));
    BOOST_TEST((onshi::grace_count_named("month-end") == onshi::GraceCount::FromMonthEnd));
    BOOST_TEST(!onshi::grace_count_named("month_end").has_value());
    BOOST_TEST(!onshi::grace_count_named("").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
