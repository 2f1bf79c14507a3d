// Two-step TF-IDF construction shared by the in-memory and streaming paths. Step 1 (add, any
// number of threads): a text's terms are counted locally, then interned in a sharded table that
// also counts document frequencies; the document keeps only (provisional id, tf). Step 2 (build):
// vocabulary pruning, final term ids, weights and the Eigen matrix.
#pragma once

#include <copydesk/tfidf.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::detail {

/// One document's terms after step 1: provisional term ids and counts (tf capped at 255, far
/// past where 1 + ln tf stops mattering).
struct doc_terms {
  std::vector<std::uint32_t> ids;
  std::vector<std::uint8_t> tf;
  void clear() noexcept {
    ids = {};
    tf = {};
  }
};

class term_collector {
public:
  /// @param keep_bigram_text keep bigram texts too (in-memory corpora; streams recover them later)
  /// @param shard_terms distinct terms one of the 64 shards may hold; 0 = all its ids allow
  ///        (2^26 - 1). Tests set it small to reach the limit.
  term_collector(term_params p, bool keep_bigram_text, std::uint32_t shard_terms = 0);
  term_collector(const term_collector&) = delete;
  term_collector& operator=(const term_collector&) = delete;
  ~term_collector();

  /// Counts the terms of `text` into `out`. Thread-safe. @return number of tokens.
  /// When a shard's term table is full the collector is marked full: from then on counts are
  /// not meaningful, and to_model and build return the error.
  std::uint32_t add(std::string_view text, doc_terms& out);

  /// The document frequencies as an IDF model over `documents` documents.
  /// @return errc::invalid_argument if the vocabulary outgrew the term tables.
  [[nodiscard]] result<idf_model> to_model(std::uint64_t documents) const;

  /// Builds the matrix. rows[i] (null: a row without terms) becomes row i; `documents` is N.
  /// The rows are rewritten in place to the stored terms only (final ids, ascending), so the
  /// counts of dropped and folded terms are freed before the weights are allocated: no row may
  /// appear twice, and the rows are of no further use once build has run.
  /// On success the term table is released: build and to_model cannot be called again.
  /// @return errc::invalid_argument if the vocabulary outgrew the term tables or the matrix
  ///         would hold more than 2^31 - 1 weights; the params' and model's errors.
  [[nodiscard]] result<tfidf_matrix> build(std::span<doc_terms* const> rows,
                                           std::uint64_t documents, const tfidf_params& params,
                                           const idf_model* model, unsigned threads);

private:
  struct shard;
  [[nodiscard]] result<void> check_not_full() const;
  term_params params_;
  bool keep_bigram_text_;
  std::uint32_t shard_terms_;
  std::atomic<bool> full_{false};
  std::unique_ptr<shard[]> shards_;
};

} // namespace copydesk::detail
