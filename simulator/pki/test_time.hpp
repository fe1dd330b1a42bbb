#pragma once
// Times for the test PKI: absolute dates or offsets from a reference date, never the wall clock,
// so the same profile always yields the same certificate bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mynasim::pki {

using UnixTime = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

// The reference date profiles use unless they name their own: 2026-04-01T00:00:00Z.
inline constexpr UnixTime default_reference_time = 1775001600;

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" (absolute, UTC) and "+N<unit>" / "-N<unit>" with unit
// y (years), m (months), d (days), h (hours), relative to `reference` (calendar arithmetic, day clamped
// to the month's end). On failure returns nullopt and sets `error` to a message naming the accepted forms.
std::optional<UnixTime> resolve_time(std::string_view text, UnixTime reference, std::string& error);

// "2026-04-01T00:00:00Z"
std::string format_time(UnixTime t);

}  // namespace mynasim::pki
