// Dates and times of documents: ISO 8601 text -> seconds since the Unix epoch.
#include <copydesk/text.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace copydesk::text {

namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size())
    return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

} // namespace

std::optional<std::int64_t> parse_iso8601(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1])
    return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap)
    return std::nullopt;
  std::size_t at = 10;
  std::int64_t offset = 0;
  if (at < s.size()) {
    if (s[at] != 'T' && s[at] != 't' && s[at] != ' ')
      return std::nullopt;
    if (!digits(s, at + 1, 2, h) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !digits(s, at + 4, 2, mi))
      return std::nullopt;
    at += 6;
    if (at < s.size() && s[at] == ':') {
      if (!digits(s, at + 1, 2, sec))
        return std::nullopt;
      at += 3;
      if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
        ++at;
        const std::size_t from = at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9')
          ++at;
        if (at == from)
          return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 60)
      return std::nullopt;
    if (at < s.size()) {
      if ((s[at] == 'Z' || s[at] == 'z') && at + 1 == s.size()) {
        ++at;
      } else if (s[at] == '+' || s[at] == '-') {
        int oh = 0, om = 0;
        if (!digits(s, at + 1, 2, oh))
          return std::nullopt;
        std::size_t next = at + 3;
        if (next < s.size() && s[next] == ':')
          ++next;
        if (!digits(s, next, 2, om) || next + 2 != s.size() || oh > 23 || om > 59)
          return std::nullopt;
        offset = (s[at] == '+' ? 1 : -1) * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
        at = s.size();
      } else {
        return std::nullopt;
      }
    }
  }
  if (at != s.size())
    return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         std::int64_t{h} * 3600 + std::int64_t{mi} * 60 + sec - offset;
}

} // namespace copydesk::text
