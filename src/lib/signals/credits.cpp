// Credit lines: built-in agency names and phrasings, a newsroom's own from a --credits file, and
// a case-insensitive search for them at word boundaries.
#include <copydesk/signals.hpp>

#include <algorithm>
#include <cstddef>

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
  auto agency = [&](std::vector<std::string> names, std::vector<std::string> lines) {
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
                                       std::span<const credit_pattern> patterns) {
  std::vector<credit_match> out;
  for (std::size_t p = 0; p < patterns.size(); ++p) {
    const std::string_view pat = patterns[p].text;
    if (pat.empty() || pat.size() > text.size())
      continue;
    // A pattern that starts (ends) with a letter or digit must not start (end) inside a word.
    const bool left_word = is_alnum(pat.front());
    const bool right_word = is_alnum(pat.back());
    for (std::size_t i = 0; i + pat.size() <= text.size(); ++i) {
      if (lower(text[i]) != lower(pat[0]) || !equal_at(text, i, pat))
        continue;
      if (left_word && i > 0 && is_alnum(text[i - 1]))
        continue;
      const std::size_t e = i + pat.size();
      if (right_word && e < text.size() && is_alnum(text[e]))
        continue;
      out.push_back(credit_match{static_cast<std::uint32_t>(p),
                                 {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e)}});
    }
  }
  std::sort(out.begin(), out.end(), [](const credit_match& a, const credit_match& b) {
    return a.bytes.begin != b.bytes.begin ? a.bytes.begin < b.bytes.begin : a.pattern < b.pattern;
  });
  return out;
}

} // namespace copydesk
