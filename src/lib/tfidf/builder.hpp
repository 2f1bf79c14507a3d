// Two-step TF-IDF construction shared by the in-memory and streaming paths. Step 1 (add, any
// number of threads): a text's terms are counted locally, then interned in a sharded table that
// also counts document frequencies; the document keeps only (provisional id, tf). Step 2 (build):
// vocabulary pruning, final term ids, weights and the Eigen matrix.
#pragma once

#include <copydesk/tfidf.hpp>

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
  term_collector(term_params p, bool keep_bigram_text);
  term_collector(const term_collector&) = delete;
  term_collector& operator=(const term_collector&) = delete;
  ~term_collector();

  /// Counts the terms of `text` into `out`. Thread-safe. @return number of tokens.
  std::uint32_t add(std::string_view text, doc_terms& out);

  /// The document frequencies as an IDF model over `documents` documents.
  [[nodiscard]] idf_model to_model(std::uint64_t documents) const;

  /// Builds the matrix. rows[i] (null: a row without terms) becomes row i; `documents` is N.
  [[nodiscard]] result<tfidf_matrix> build(std::span<const doc_terms* const> rows,
                                           std::uint64_t documents, const tfidf_params& params,
                                           const idf_model* model, unsigned threads);

private:
  struct shard;
  term_params params_;
  bool keep_bigram_text_;
  std::unique_ptr<shard[]> shards_;
};

} // namespace copydesk::detail
