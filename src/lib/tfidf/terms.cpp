// Terms of a text: normalized tokens minus the built-in English stop list, plus word bigrams of
// adjacent kept words. Term identity is FNV-1a 64 of the term's bytes (stable: IDF models store
// it).
#include "tfidf/terms.hpp"

#include <algorithm>
#include <iterator>

namespace copydesk {

// The list itself lives in the text stage, which the readers' boilerplate detection uses too.
bool is_stop_word(std::string_view normalized) noexcept { return text::is_stop_word(normalized); }

std::span<const std::string_view> stop_words() noexcept { return text::stop_words(); }

namespace detail {

namespace {
// Open-addressing set of the stop words' raw FNV states (power-of-two size, linear probing).
struct stop_table {
  static constexpr std::size_t size = 1024;
  std::uint64_t hash[size] = {};
  std::uint16_t word[size] = {};
  stop_table() {
    for (std::size_t w = 0; w < text::stop_words().size(); ++w) {
      const std::uint64_t h = fnv_update(fnv_offset, text::stop_words()[w]);
      std::size_t i = h & (size - 1);
      while (hash[i] != 0)
        i = (i + 1) & (size - 1);
      hash[i] = h;
      word[i] = static_cast<std::uint16_t>(w);
    }
  }
};
const stop_table& stops() {
  static const stop_table t;
  return t;
}
} // namespace

bool is_stop_hash(std::uint64_t h, std::string_view tok) noexcept {
  const stop_table& t = stops();
  for (std::size_t i = h & (stop_table::size - 1); t.hash[i] != 0;
       i = (i + 1) & (stop_table::size - 1)) {
    if (t.hash[i] == h)
      return text::stop_words()[t.word[i]] == tok;
  }
  return false;
}

} // namespace detail

std::uint64_t term_hash(std::string_view term) noexcept {
  return detail::fnv_finish(detail::fnv_update(detail::fnv_offset, term));
}

std::vector<std::string> extract_terms(std::string_view text, const term_params& p) {
  std::vector<std::string> out;
  std::string prev;
  bool have_prev = false;
  detail::for_each_token(text, [&](std::string_view tok, byte_span) {
    if (p.stop_words && is_stop_word(tok)) {
      have_prev = false;
      return;
    }
    out.emplace_back(tok);
    if (p.bigrams && have_prev)
      out.push_back(prev + " " + std::string(tok));
    prev.assign(tok);
    have_prev = true;
  });
  return out;
}

} // namespace copydesk
