// Kinds of changed facts: what the words an edit replaced inside a copied passage are (a number,
// a date, a name, or other words), told by word lists and capitals, without a model.
#include <copydesk/signals.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

namespace copydesk {

const char* to_string(change_kind k) noexcept {
  switch (k) {
  case change_kind::number:
    return "number";
  case change_kind::date:
    return "date";
  case change_kind::name:
    return "name";
  case change_kind::other:
    break;
  }
  return "other";
}

namespace {

constexpr std::array<std::string_view, 24> month_words = {
    "january",   "february", "march",    "april",    "may",  "june", "july", "august",
    "september", "october",  "november", "december", "jan",  "feb",  "mar",  "apr",
    "jun",       "jul",      "aug",      "sep",      "sept", "oct",  "nov",  "dec"};
constexpr std::array<std::string_view, 7> weekday_words = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 4> relative_day_words = {"yesterday", "today", "tomorrow",
                                                                "tonight"};
constexpr std::array<std::string_view, 36> number_words = {
    "zero",    "one",       "two",      "three",    "four",    "five",     "six",      "seven",
    "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen", "twenty",  "thirty",   "forty",    "fifty",
    "sixty",   "seventy",   "eighty",   "ninety",   "hundred", "hundreds", "thousand", "thousands",
    "million", "millions",  "billion",  "dozen"};

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// The code point starting at s[i] (0 for a malformed or truncated sequence) and its length.
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b0 < 0x80)
    return b0;
  const std::size_t n = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  if (n == 0 || i + n > s.size())
    return 0;
  char32_t cp = b0 & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  len = n;
  return cp;
}

bool upper_letter(char32_t c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
         (c >= 0x391 && c <= 0x3a9) || (c >= 0x400 && c <= 0x42f);
}

bool is_digit(char32_t c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 0x660 && c <= 0x669) || (c >= 0x6f0 && c <= 0x6f9) ||
         (c >= 0x966 && c <= 0x96f) || (c >= 0xff10 && c <= 0xff19);
}

bool capitalised(std::string_view w) noexcept {
  std::size_t len = 0;
  return !w.empty() && upper_letter(decode(w, 0, len));
}

// Two or more letters, all capitals ("NASA", "UN").
bool acronym(std::string_view w) noexcept {
  std::size_t letters = 0;
  for (const char c : w) {
    if (c >= 'a' && c <= 'z')
      return false;
    letters += c >= 'A' && c <= 'Z' ? 1 : 0;
  }
  return letters >= 2;
}

// Quotation marks and brackets that may stand between a sentence's end and its first word.
bool opening_punctuation(char32_t c) noexcept {
  return c == '"' || c == '\'' || c == '(' || c == '[' || c == 0x2018 || c == 0x2019 ||
         c == 0x201c || c == 0x201d || c == 0x201e || c == 0xab || c == 0xbb;
}

// True when the word at byte `at` of `text` starts a sentence or a line.
bool sentence_start(std::string_view text, std::size_t at) noexcept {
  std::size_t i = at;
  while (i > 0) {
    std::size_t b = i - 1;
    while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xc0) == 0x80)
      --b;
    std::size_t len = 0;
    const char32_t c = decode(text, b, len);
    if (c == '\n' || c == '.' || c == '!' || c == '?' || c == ':')
      return true;
    if (c != ' ' && c != '\t' && c != '\r' && !opening_punctuation(c))
      return false;
    i = b;
  }
  return true;
}

bool numeric(std::string_view w) noexcept {
  for (std::size_t i = 0; i < w.size();) {
    std::size_t len = 0;
    if (is_digit(decode(w, i, len)))
      return true;
    i += len;
  }
  return false;
}

// A year (1800-2199) or digits joined by / or - ("2026-03-04", "3/4/26").
bool numeric_date(std::string_view w) noexcept {
  if (w.size() == 4 && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return (w[0] == '1' && w[1] >= '8') || (w[0] == '2' && w[1] <= '1');
  bool digits = false;
  bool joined = false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if ((c == '/' || c == '-') && digits && i + 1 < w.size() && w[i + 1] >= '0' &&
               w[i + 1] <= '9') {
      joined = true;
    } else {
      return false;
    }
  }
  return joined;
}

bool month_name(std::string_view w) {
  return capitalised(w) && listed(month_words, ascii_lower(w));
}

struct side {
  std::string_view text;
  std::span<const byte_span> tokens;
  token_range range;

  [[nodiscard]] std::string_view word(std::uint32_t t) const noexcept {
    return text.substr(tokens[t].begin, tokens[t].end - tokens[t].begin);
  }
};

struct found_kinds {
  bool date = false;
  bool number = false;
  bool name = false;
};

void scan(const side& s, found_kinds& k) {
  const auto n = static_cast<std::uint32_t>(s.tokens.size());
  for (std::uint32_t t = s.range.begin; t < s.range.end; ++t) {
    const std::string_view w = s.word(t);
    const std::string lower = ascii_lower(w);
    if (numeric_date(w) || month_name(w) || listed(relative_day_words, lower) ||
        (capitalised(w) && listed(weekday_words, lower))) {
      k.date = true;
    } else if (numeric(w) || listed(number_words, lower)) {
      k.number = true;
      const bool month_before = t > 0 && month_name(s.word(t - 1));
      const bool month_after = t + 1 < n && month_name(s.word(t + 1));
      k.date = k.date || month_before || month_after;
    } else if (capitalised(w)) {
      const bool run =
          (t + 1 < n && capitalised(s.word(t + 1))) ||
          (t > 0 && capitalised(s.word(t - 1)) && !sentence_start(s.text, s.tokens[t - 1].begin));
      k.name = k.name || acronym(w) || run || !sentence_start(s.text, s.tokens[t].begin);
    }
  }
}

} // namespace

change_kind classify_change(std::string_view ta, std::span<const byte_span> tokens_a, token_range a,
                            std::string_view tb, std::span<const byte_span> tokens_b,
                            token_range b) {
  found_kinds k;
  scan(side{ta, tokens_a, a}, k);
  scan(side{tb, tokens_b, b}, k);
  if (k.date)
    return change_kind::date;
  if (k.number)
    return change_kind::number;
  if (k.name)
    return change_kind::name;
  return change_kind::other;
}

} // namespace copydesk
