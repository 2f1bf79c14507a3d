// Lede finder: the first paragraph of body text (blank lines separate paragraphs; headlines,
// bylines and menus above it are skipped); the first words when no paragraph qualifies.
#include <copydesk/signals.hpp>

#include <algorithm>
#include <cstddef>

namespace copydesk {

namespace {

// Byte offset of the first blank line at or after `from` (the newline that starts it), or npos.
std::size_t next_break(std::string_view s, std::size_t from) noexcept {
  for (std::size_t i = s.find('\n', from); i != std::string_view::npos; i = s.find('\n', i + 1)) {
    std::size_t j = i + 1;
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
      ++j;
    if (j < s.size() && s[j] == '\n')
      return i;
  }
  return std::string_view::npos;
}

// First token at or after byte `at`.
std::uint32_t token_at(std::span<const byte_span> tokens, std::size_t at) noexcept {
  const auto it = std::lower_bound(tokens.begin(), tokens.end(), at,
                                   [](const byte_span& t, std::size_t b) { return t.begin < b; });
  return static_cast<std::uint32_t>(it - tokens.begin());
}

// Does the paragraph (from its first word) end like a sentence? . ! ? " ' or the UTF-8 last
// bytes of ” ’ » after its last word. (An ellipsis ends "Search this site…" as often as a
// sentence, and a parenthesis "Listen (5 min)".)
bool ends_sentence(std::string_view para) noexcept {
  while (!para.empty() &&
         (para.back() == ' ' || para.back() == '\t' || para.back() == '\r' || para.back() == '\n'))
    para.remove_suffix(1);
  if (para.empty())
    return false;
  const char last = para.back();
  return last == '.' || last == '!' || last == '?' || last == '"' || last == '\'' ||
         last == '\x9d' || last == '\x99' || last == '\xbb';
}

// Lines of a paragraph: a block of short lines is a menu or a byline box, not body text.
std::uint32_t lines_of(std::string_view para) noexcept {
  while (!para.empty() && (para.back() == '\n' || para.back() == '\r' || para.back() == ' '))
    para.remove_suffix(1);
  return 1 + static_cast<std::uint32_t>(std::count(para.begin(), para.end(), '\n'));
}

} // namespace

token_range find_lede(std::string_view text, std::span<const byte_span> tokens) {
  const auto n = static_cast<std::uint32_t>(tokens.size());
  if (n == 0)
    return {};
  std::uint32_t begin = 0;
  while (begin < n) {
    const std::size_t brk = next_break(text, tokens[begin].begin);
    const std::uint32_t end = brk == std::string_view::npos ? n : token_at(tokens, brk);
    if (begin == 0 && end == n)
      break; // no paragraph break between words
    const std::size_t to = brk == std::string_view::npos ? text.size() : brk;
    const std::string_view para = text.substr(tokens[begin].begin, to - tokens[begin].begin);
    const std::uint32_t words = end - begin;
    if (words >= defaults::lede_min_words && words >= defaults::lede_line_words * lines_of(para) &&
        ends_sentence(para))
      return {begin, end};
    begin = end;
  }
  return {0, std::min(n, defaults::lede_words)};
}

} // namespace copydesk
