#pragma once
// When a 利用者証明用電子証明書 near or past its notAfter still serves (../shared/spec/oqs-files.md, "Real-world
// rules": certificate expiry grace). From `notice_months` before notAfter an answer carries a notice; for
// `grace_months` after it the card still confirms qualifications, but 薬剤/特定健診 are not shown; after that
// the certificate is refused. Months are calendar months on Japan's clock (UTC+9), the day clamped to the
// month's end. The sources disagree whether the grace counts from the expiry date or from the end of
// that month: `count` says which (a server setting, `--expiry-grace-from`).
#include <optional>
#include <string_view>

#include "base/time.hpp"

namespace mynasim::onshi {

enum class GraceCount { FromExpiry, FromMonthEnd };

struct ExpiryRule {
    int notice_months = 3;
    int grace_months = 3;
    GraceCount count = GraceCount::FromExpiry;
};

enum class ExpiryStage {
    Valid,        // more than notice_months before notAfter
    ExpiresSoon,  // within notice_months before notAfter (inclusive), not yet expired
    InGrace,      // after notAfter, up to and including the grace's end
    Expired,      // after the grace's end
};

// The first instant of the notice, and the last instant of the grace.
UnixTime notice_start(UnixTime not_after, const ExpiryRule& rule);
UnixTime grace_end(UnixTime not_after, const ExpiryRule& rule);
ExpiryStage expiry_stage(UnixTime not_after, UnixTime now, const ExpiryRule& rule);

// "expiry" | "month-end" (the command line's and scenarios' names).
std::optional<GraceCount> grace_count_named(std::string_view name);

}  // namespace mynasim::onshi
