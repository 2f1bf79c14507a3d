// The built-in background IDF model: document frequencies of English words over a notional
// archive of 1000 documents, derived from word ranks in Wikipedia text. A word of rank r has
// probability p = 1 / (13 r) per token (Zipf's law over the ~225,000 ranked words; 13 is their
// harmonic number), so it appears in a 400-word document with probability 1 - exp(-400 p).
// Words below every rank (names, rare terms) and bigrams get no background count.
#include "tfidf/background.hpp"
#include "tfidf/terms.hpp"

#include <cmath>
#include <string_view>

namespace copydesk {

idf_model background_model(const term_params& p) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> counts;
  counts.reserve(detail::background_word_count);
  const std::string_view all(detail::background_words);
  std::size_t rank = 0;
  for (std::size_t at = 0; at < all.size();) {
    const std::size_t end = all.find('\n', at);
    const std::string_view w = all.substr(at, end - at);
    at = end + 1;
    ++rank;
    const double prob = 1.0 / (13.0 * static_cast<double>(rank));
    const double df =
        static_cast<double>(defaults::background_documents) *
        (1.0 - std::exp(-static_cast<double>(defaults::background_doc_length) * prob));
    const auto count = static_cast<std::uint32_t>(std::lround(df));
    if (count > 0)
      counts.emplace_back(term_hash(w), count);
  }
  return idf_model::from_counts(p, defaults::background_documents, std::move(counts));
}

} // namespace copydesk
