// Internal term helpers of the TF-IDF stage: term hashing with FNV-1a 64 (a bigram's hash
// continues its first word's state with a space and the second word, so no bigram string is ever
// built) and the hot loop that turns a text into term hashes.
#pragma once

#include "common/bytes.hpp"
#include "common/token_scan.hpp"

#include <copydesk/text.hpp>
#include <copydesk/tfidf.hpp>

#include <cstdint>
#include <string_view>

namespace copydesk::detail {

/// 0 is reserved as "no term" in hash tables; FNV-1a never yields it in practice.
inline std::uint64_t fnv_finish(std::uint64_t h) noexcept { return h == 0 ? 1 : h; }

/// is_stop_word(tok) for a token whose raw FNV state is `h` (a hash probe, then one compare).
[[nodiscard]] bool is_stop_hash(std::uint64_t h, std::string_view tok) noexcept;

/// Calls f(std::uint64_t key, bool bigram, std::string_view word) for every term occurrence of
/// `text` (word = the word itself, or the bigram's second word); returns the token count.
template <class F>
std::size_t for_each_term_hash(std::string_view text, const term_params& p, F&& f) {
  std::size_t tokens = 0;
  std::uint64_t prev = 0;
  bool have_prev = false;
  for_each_token(text, [&](std::string_view tok, byte_span) {
    ++tokens;
    const std::uint64_t h = fnv_update(fnv_offset, tok);
    if (p.stop_words && is_stop_hash(h, tok)) {
      have_prev = false;
      return;
    }
    f(fnv_finish(h), false, tok);
    if (p.bigrams && have_prev)
      f(fnv_finish(fnv_update(fnv_update(prev, ' '), tok)), true, tok);
    prev = h;
    have_prev = true;
  });
  return tokens;
}

} // namespace copydesk::detail
