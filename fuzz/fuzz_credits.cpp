// Fuzz entry: a --credits file and a text (arbitrary bytes, split at the first NUL) through
// parse_credits and find_credits, with and without the text's token spans. Every match is an
// occurrence of its pattern (ASCII case folded) inside the text, matches are sorted, and those
// found at token starts are among those found by the byte scan.
#include <copydesk/borrow.hpp>
#include <copydesk/signals.hpp>
#include <copydesk/text.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

bool same_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (fold(a[i]) != fold(b[i]))
      return false;
  }
  return true;
}

} // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = std::min(bytes.find('\0'), bytes.size());
  auto extra = copydesk::parse_credits(bytes.substr(0, nul), "fuzz.tsv");
  if (!extra)
    return 0;
  const std::vector<copydesk::credit_pattern> patterns = copydesk::with_default_credits(*extra);
  std::string text(bytes.substr(std::min(bytes.size(), nul + 1)));
  copydesk::text::repair_utf8(text);
  copydesk::hashed_text h;
  copydesk::hash_text(text, copydesk::defaults::hash_seed, h);
  const auto by_bytes = copydesk::find_credits(text, patterns);
  const auto by_tokens = copydesk::find_credits(text, patterns, h.spans);
  const auto order = [](const copydesk::credit_match& a, const copydesk::credit_match& b) {
    return a.bytes.begin != b.bytes.begin ? a.bytes.begin < b.bytes.begin : a.pattern < b.pattern;
  };
  for (const auto* found : {&by_bytes, &by_tokens}) {
    if (!std::is_sorted(found->begin(), found->end(), order))
      std::abort();
    for (const copydesk::credit_match& m : *found) {
      if (m.pattern >= patterns.size() || m.bytes.end > text.size() ||
          m.bytes.begin > m.bytes.end ||
          !same_folded(std::string_view(text).substr(m.bytes.begin, m.bytes.end - m.bytes.begin),
                       patterns[m.pattern].text))
        std::abort();
    }
  }
  for (const copydesk::credit_match& m : by_tokens) {
    if (!std::binary_search(by_bytes.begin(), by_bytes.end(), m, order))
      std::abort();
  }
  return 0;
}
