#pragma once
// Time as this project uses it: seconds since the epoch (UTC), the calendar arithmetic behind the
// profiles' offsets ("+5y", "-30d"), and the one set of text forms every layer writes. Nothing here
// reads a clock except `now_utc()`; the card, the PKI and the mock server take times from their callers.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mynasim {

using UnixTime = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

// The reference date profiles use unless they name their own: 2026-04-01T00:00:00Z.
inline constexpr UnixTime default_reference_time = 1775001600;

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" (absolute, UTC) and "+N<unit>" / "-N<unit>" with unit
// y (years), m (months), d (days), h (hours), relative to `reference` (calendar arithmetic, day clamped
// to the month's end). On failure returns nullopt and sets `error` to a message naming the accepted forms.
std::optional<UnixTime> resolve_time(std::string_view text, UnixTime reference, std::string& error);

// `t` moved by `months` calendar months (UTC), the day clamped to the target month's end ("+1m" from 01-31
// is the end of February); the time of day kept. resolve_time's "m" and "y" units.
UnixTime plus_months(UnixTime t, std::int64_t months);

// The text forms. Each is written digit by digit: the mock server dates every answer with them.
std::string format_time(UnixTime t);            // 2026-04-01T09:30:00Z (ISO 8601, UTC)
std::string format_compact_time(UnixTime t);    // 20260401093000 (file names of the file interface)
std::string format_compact_date(UnixTime t);    // 20260401 (dates in the mock's XML)
// 2026-04-01T09:30:00.250Z: a wall-clock instant with milliseconds (logs and traces).
std::string format_time_millis(std::chrono::system_clock::time_point t);

// True for "YYYYMMDD" naming a day that exists, from 1868 (明治元年: the earliest year a birth date of the
// file interface can carry) on. The one check of every compact date the project reads.
bool is_compact_date(std::string_view text);

// The wall clock, for the edges that stamp what they write (never the card core or the service).
UnixTime now_utc();

}  // namespace mynasim
