#include "test_time.hpp"

#include <charconv>
#include <cstdio>

namespace mynasim::pki {

namespace {

constexpr const char* accepted_forms =
    "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, or +N/-N with a unit y, m, d or h (e.g. +5y, -30d)";

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (era-based, valid for any year).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil {
    std::int64_t year;
    int month, day, hour, minute, second;
};

Civil civil_from_time(UnixTime t) {
    std::int64_t days = t / 86400;
    std::int64_t rest = t % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    return Civil{y, m, d, static_cast<int>(rest / 3600), static_cast<int>(rest % 3600 / 60), static_cast<int>(rest % 60)};
}

UnixTime time_from_civil(const Civil& c) {
    return days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
}

// Reads exactly `width` digits at `pos`.
bool digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    for (std::size_t i = pos; i < pos + width; ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, out);
    return ec == std::errc() && ptr == text.data() + pos + width;
}

std::optional<UnixTime> absolute(std::string_view text) {
    int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
    if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, m) || text[7] != '-' ||
        !digits(text, 8, 2, d))
        return std::nullopt;
    if (text.size() != 10) {
        if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z' ||
            !digits(text, 11, 2, hh) || !digits(text, 14, 2, mm) || !digits(text, 17, 2, ss))
            return std::nullopt;
    }
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    return time_from_civil(Civil{y, m, d, hh, mm, ss});
}

std::optional<UnixTime> relative(std::string_view text, UnixTime reference) {
    if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
    const char unit = text.back();
    const std::string_view number = text.substr(1, text.size() - 2);
    std::int64_t n = 0;
    for (char c : number)
        if (c < '0' || c > '9') return std::nullopt;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    if (ec != std::errc() || ptr != number.data() + number.size() || n > 100000) return std::nullopt;
    if (text[0] == '-') n = -n;
    switch (unit) {
    case 'h': return reference + n * 3600;
    case 'd': return reference + n * 86400;
    case 'm':
    case 'y': {
        Civil c = civil_from_time(reference);
        const std::int64_t months = c.year * 12 + (c.month - 1) + (unit == 'y' ? n * 12 : n);
        c.year = months >= 0 ? months / 12 : (months - 11) / 12;
        c.month = static_cast<int>(months - c.year * 12) + 1;
        c.day = std::min(c.day, days_in_month(c.year, c.month));  // 01-31 + 1m -> end of February
        return time_from_civil(c);
    }
    default: return std::nullopt;
    }
}

}  // namespace

std::optional<UnixTime> resolve_time(std::string_view text, UnixTime reference, std::string& error) {
    auto t = !text.empty() && (text[0] == '+' || text[0] == '-') ? relative(text, reference) : absolute(text);
    if (!t) error = "'" + std::string(text) + "' is not a time: " + accepted_forms;
    return t;
}

std::string format_time(UnixTime t) {
    const Civil c = civil_from_time(t);
    if (c.year >= 0 && c.year <= 9999) {
        // Digit by digit: the mock server dates every confirmation, and snprintf costs more than the rest.
        std::string out = "0000-00-00T00:00:00Z";
        const auto put = [&out](std::size_t at, long long value, int width) {
            for (int i = width - 1; i >= 0; --i, value /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
        };
        put(0, static_cast<long long>(c.year), 4);
        put(5, c.month, 2);
        put(8, c.day, 2);
        put(11, c.hour, 2);
        put(14, c.minute, 2);
        put(17, c.second, 2);
        return out;
    }
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(c.year), c.month,
                  c.day, c.hour, c.minute, c.second);
    return buffer;
}

}  // namespace mynasim::pki
