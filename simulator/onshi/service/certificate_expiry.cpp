#include "certificate_expiry.hpp"

#include <chrono>

namespace mynasim::onshi {

namespace {

namespace chr = std::chrono;

constexpr UnixTime japan_offset = 9 * 3600;

// `t` moved by `months` calendar months on Japan's clock, the day clamped to the month's end.
UnixTime plus_japan_months(UnixTime t, int months) { return plus_months(t + japan_offset, months) - japan_offset; }

// The last second (Japan's clock) of the month `months` after the month of `t`.
UnixTime end_of_month_after(UnixTime t, int months) {
    const chr::sys_seconds local{chr::seconds(t + japan_offset)};
    const chr::year_month_day date(chr::floor<chr::days>(local));
    const auto first_after = date.year() / date.month() / 1 + chr::months(months + 1);
    return chr::sys_seconds(chr::sys_days(first_after)).time_since_epoch().count() - 1 - japan_offset;
}

}  // namespace

UnixTime notice_start(UnixTime not_after, const ExpiryRule& rule) { return plus_japan_months(not_after, -rule.notice_months); }

UnixTime grace_end(UnixTime not_after, const ExpiryRule& rule) {
    return rule.count == GraceCount::FromExpiry ? plus_japan_months(not_after, rule.grace_months)
                                                : end_of_month_after(not_after, rule.grace_months);
}

ExpiryStage expiry_stage(UnixTime not_after, UnixTime now, const ExpiryRule& rule) {
    if (now > not_after) return now <= grace_end(not_after, rule) ? ExpiryStage::InGrace : ExpiryStage::Expired;
    return now >= notice_start(not_after, rule) ? ExpiryStage::ExpiresSoon : ExpiryStage::Valid;
}

std::optional<GraceCount> grace_count_named(std::string_view name) {
    if (name == "expiry") return GraceCount::FromExpiry;
    if (name == "month-end") return GraceCount::FromMonthEnd;
    return std::nullopt;
}

}  // namespace mynasim::onshi
