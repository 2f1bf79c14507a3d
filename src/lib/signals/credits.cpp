// Credit lines: built-in agency names and phrasings, a newsroom's own from a --credits file, and
// a case-insensitive search for them at word boundaries.
#include <copydesk/signals.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

namespace copydesk {

namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool equal_at(std::string_view text, std::size_t at, std::string_view pat) noexcept {
  for (std::size_t k = 0; k < pat.size(); ++k) {
    if (lower(text[at + k]) != lower(pat[k]))
      return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::vector<credit_pattern> default_credits() {
  std::vector<credit_pattern> out;
  auto agency = [&](const std::vector<std::string>& names, std::vector<std::string> lines) {
    for (std::string& l : lines)
      out.push_back(credit_pattern{std::move(l), names});
  };
  agency({"AP", "Associated Press"},
         {"(AP)", "Associated Press", "AP reported", "told the AP", "according to the AP"});
  agency({"Reuters"}, {"(Reuters)", "Reuters reported", "told Reuters", "according to Reuters"});
  agency({"AFP", "Agence France-Presse"},
         {"(AFP)", "Agence France-Presse", "AFP reported", "told AFP", "according to AFP"});
  agency({"Bloomberg"}, {"(Bloomberg)", "Bloomberg News", "Bloomberg reported"});
  agency({"dpa"}, {"(dpa)", "dpa reported"});
  agency({"PA", "PA Media", "Press Association"}, {"PA Media", "Press Association"});
  agency({"UPI"}, {"(UPI)", "United Press International"});
  agency({"Xinhua"}, {"Xinhua"});
  agency({"EFE"}, {"(EFE)"});
  agency({"ANSA"}, {"(ANSA)"});
  agency({"Kyodo"}, {"Kyodo News"});
  // Phrasings that credit some source without naming it: they credit any source.
  for (const char* any :
       {"with wire reports", "with wire services", "wire services contributed",
        "agencies contributed", "contributed to this report", "according to a press release",
        "in a press release", "said in a press release", "from a press release", "news agencies"})
    out.push_back(credit_pattern{any, {}});
  return out;
}

std::vector<credit_pattern> with_default_credits(const std::vector<credit_pattern>& extra) {
  std::vector<credit_pattern> out = default_credits();
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

result<std::vector<credit_pattern>> parse_credits(std::string_view file_text,
                                                  std::string_view name) {
  std::vector<credit_pattern> out;
  std::size_t line_no = 0;
  for (std::size_t at = 0; at <= file_text.size();) {
    std::size_t nl = file_text.find('\n', at);
    if (nl == std::string_view::npos)
      nl = file_text.size();
    const std::string_view line = file_text.substr(at, nl - at);
    at = nl + 1;
    ++line_no;
    const std::string_view t = trim(line);
    if (t.empty() || t.front() == '#')
      continue;
    const std::size_t tab = line.find('\t');
    credit_pattern p;
    p.text = std::string(trim(line.substr(0, tab)));
    if (p.text.empty()) {
      return make_error(errc::invalid_input, std::string(name) + ":" + std::to_string(line_no) +
                                                 ": empty credit pattern before the tab");
    }
    if (tab != std::string_view::npos) {
      std::string_view rest = line.substr(tab + 1);
      while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string_view src = trim(rest.substr(0, comma));
        if (!src.empty())
          p.sources.emplace_back(src);
        if (comma == std::string_view::npos)
          break;
        rest.remove_prefix(comma + 1);
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<credit_match> find_credits(std::string_view text,
                                       std::span<const credit_pattern> patterns,
                                       std::span<const byte_span> tokens) {
  // One pass over the text: at each byte only the patterns that start with it (ASCII case
  // folded) are tried, and those that must start a word are skipped inside a word.
  std::array<std::uint32_t, 257> start{};
  for (const credit_pattern& p : patterns) {
    if (!p.text.empty() && p.text.size() <= text.size())
      ++start[static_cast<unsigned char>(lower(p.text.front())) + 1];
  }
  for (std::size_t b = 1; b < start.size(); ++b)
    start[b] += start[b - 1];
  // Bucket order: the pattern's index, its text and its second character (folded; 0 if none).
  std::vector<std::uint32_t> by_first(start[256]);
  std::vector<std::string_view> texts(start[256]);
  std::vector<char> second(start[256]);
  {
    std::array<std::uint32_t, 256> fill{};
    std::copy(start.begin(), start.end() - 1, fill.begin());
    for (std::size_t p = 0; p < patterns.size(); ++p) {
      const std::string& t = patterns[p].text;
      if (t.empty() || t.size() > text.size())
        continue;
      const std::uint32_t k = fill[static_cast<unsigned char>(lower(t.front()))]++;
      by_first[k] = static_cast<std::uint32_t>(p);
      texts[k] = t;
      second[k] = t.size() > 1 ? lower(t[1]) : '\0';
    }
  }
  std::vector<credit_match> out;
  const auto try_at = [&](std::size_t i) {
    const auto c = static_cast<unsigned char>(lower(text[i]));
    const char next = i + 1 < text.size() ? lower(text[i + 1]) : '\0';
    for (std::uint32_t k = start[c]; k < start[c + 1]; ++k) {
      const std::string_view pat = texts[k];
      if ((pat.size() > 1 && second[k] != next) || i + pat.size() > text.size() ||
          !equal_at(text, i, pat))
        continue;
      const std::size_t e = i + pat.size();
      // A pattern that ends with a letter or digit must not end inside a word.
      if (is_alnum(pat.back()) && e < text.size() && is_alnum(text[e]))
        continue;
      out.push_back(credit_match{by_first[k],
                                 {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e)}});
    }
  };
  // Patterns are tried at word starts (one that starts with a letter or digit must not start
  // inside a word) and at every other byte.
  if (!tokens.empty()) {
    // Word starts are token starts; the other bytes are searched for only the patterns' first
    // characters (a parenthesis, a quote...), which are rare in text.
    for (std::size_t f = 0; f < 256; ++f) {
      if (start[f] == start[f + 1] || is_alnum(static_cast<char>(f)))
        continue;
      for (std::size_t at = text.find(static_cast<char>(f)); at != std::string_view::npos;
           at = text.find(static_cast<char>(f), at + 1))
        try_at(at);
    }
    for (const byte_span& t : tokens) {
      if (t.begin < text.size() && is_alnum(text[t.begin]) &&
          (t.begin == 0 || !is_alnum(text[t.begin - 1])))
        try_at(t.begin);
    }
  } else {
    for (std::size_t i = 0; i < text.size();) {
      try_at(i);
      if (is_alnum(text[i])) {
        ++i;
        while (i < text.size() && is_alnum(text[i]))
          ++i;
      } else {
        ++i;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const credit_match& a, const credit_match& b) {
    return a.bytes.begin != b.bytes.begin ? a.bytes.begin < b.bytes.begin : a.pattern < b.pattern;
  });
  return out;
}

} // namespace copydesk
