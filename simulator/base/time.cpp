#include "time.hpp"

#include <charconv>
#include <cstdio>

namespace mynasim {

namespace {

using namespace std::chrono;

constexpr const char* accepted_forms =
    "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, or +N/-N with a unit y, m, d or h (e.g. +5y, -30d)";

struct Civil {
    year_month_day date;
    hh_mm_ss<seconds> clock;
};

Civil civil_from_time(UnixTime t) {
    const sys_seconds instant{seconds{t}};
    const sys_days day = floor<days>(instant);
    return Civil{year_month_day{day}, hh_mm_ss<seconds>{instant - day}};
}

UnixTime time_from(year_month_day date, seconds time_of_day) {
    return (sys_days{date} + time_of_day).time_since_epoch().count();
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
    const year_month_day date{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!date.ok() || hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    return time_from(date, hours{hh} + minutes{mm} + seconds{ss});
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
    case 'm': return plus_months(reference, n);
    case 'y': return plus_months(reference, n * 12);
    default: return std::nullopt;
    }
}

// Writes `value` as exactly `width` digits ending before `end`.
void put_digits(char* end, long long value, int width) {
    for (int i = 0; i < width; ++i, value /= 10) *--end = static_cast<char>('0' + value % 10);
}

// The digits of a time, in the order of every form: year, month, day, hour, minute, second.
struct Fields {
    long long year;
    unsigned month, day;
    long long hour, minute, second;
    bool four_digit_year() const { return year >= 0 && year <= 9999; }
};

Fields fields_of(UnixTime t) {
    const Civil c = civil_from_time(t);
    return Fields{static_cast<int>(c.date.year()), static_cast<unsigned>(c.date.month()), static_cast<unsigned>(c.date.day()),
                  c.clock.hours().count(), c.clock.minutes().count(), c.clock.seconds().count()};
}

// `pattern` holds '0' where digits go: "0000-00-00T00:00:00Z", "00000000000000", ...
std::string render(const Fields& f, std::string pattern) {
    char* p = pattern.data();
    const long long values[] = {f.year, f.month, f.day, f.hour, f.minute, f.second};
    const int widths[] = {4, 2, 2, 2, 2, 2};
    std::size_t at = 0;
    for (std::size_t i = 0; i < 6; ++i) {
        while (at < pattern.size() && pattern[at] != '0') ++at;
        if (at >= pattern.size()) break;
        put_digits(p + at + widths[i], values[i], widths[i]);
        at += static_cast<std::size_t>(widths[i]);
    }
    return pattern;
}

// Outside years 0..9999 the compact forms are the digits of the ISO form (only ever in error messages).
std::string digits_of(const std::string& text, std::size_t count) {
    std::string out;
    for (char c : text)
        if (c >= '0' && c <= '9' && out.size() < count) out += c;
    return out;
}

}  // namespace

std::optional<UnixTime> resolve_time(std::string_view text, UnixTime reference, std::string& error) {
    auto t = !text.empty() && (text[0] == '+' || text[0] == '-') ? relative(text, reference) : absolute(text);
    if (!t) error = "'" + std::string(text) + "' is not a time: " + accepted_forms;
    return t;
}

std::string format_time(UnixTime t) {
    const Fields f = fields_of(t);
    if (f.four_digit_year()) return render(f, "0000-00-00T00:00:00Z");
    char buffer[48];  // years beyond 0..9999 (only ever in error messages)
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", f.year, f.month, f.day, f.hour, f.minute,
                  f.second);
    return buffer;
}

std::string format_compact_time(UnixTime t) {
    const Fields f = fields_of(t);
    return f.four_digit_year() ? render(f, "00000000000000") : digits_of(format_time(t), 14);
}

std::string format_compact_date(UnixTime t) {
    const Fields f = fields_of(t);
    return f.four_digit_year() ? render(f, "00000000") : digits_of(format_time(t), 8);
}

std::string format_time_millis(std::chrono::system_clock::time_point t) {
    const auto since = floor<milliseconds>(t.time_since_epoch());
    const auto whole = floor<seconds>(since);
    std::string out = format_time(whole.count());  // ...:SSZ
    char millis[5] = ".000";
    put_digits(millis + 4, (since - whole).count(), 3);
    out.insert(out.size() - 1, millis);
    return out;
}

UnixTime now_utc() { return floor<seconds>(system_clock::now().time_since_epoch()).count(); }

UnixTime plus_months(UnixTime t, std::int64_t n) {
    const Civil c = civil_from_time(t);
    const auto moved = c.date.year() / c.date.month() / 1d + months{n};
    // 01-31 + 1m -> the end of February
    const year_month_day date{moved.year() / moved.month() / std::min(c.date.day(), (moved.year() / moved.month() / last).day())};
    return time_from(date, c.clock.to_duration());
}

bool is_compact_date(std::string_view s) {
    if (s.size() != 8) return false;
    int value[3] = {0, 0, 0};  // year, month, day
    for (std::size_t i = 0; i < 8; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        int& part = value[i < 4 ? 0 : i < 6 ? 1 : 2];
        part = part * 10 + (s[i] - '0');
    }
    const int year = value[0], month = value[1], day = value[2];
    static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1868 || month < 1 || month > 12 || day < 1 || day > days[month - 1]) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return !(month == 2 && day == 29 && !leap);
}

}  // namespace mynasim
