// Inside of tfidf_matrix: the Eigen row-major float matrix and the table of stored terms.
// Private to the tfidf module (Eigen stays here).
#pragma once

#include <copydesk/tfidf.hpp>

#include "tfidf/term_texts.hpp"

#include <Eigen/SparseCore>

#include <cstdint>
#include <string>
#include <vector>

namespace copydesk {

struct tfidf_matrix::impl {
  using sparse = Eigen::SparseMatrix<float, Eigen::RowMajor, std::int32_t>;
  sparse m; ///< rows = documents, cols = stored terms; compressed, rows L2-normalized
  std::vector<std::uint64_t> keys;  ///< term_hash per term id
  std::vector<std::uint32_t> df;    ///< corpus document frequency per term id
  std::vector<float> idf;           ///< idf per term id
  std::vector<std::uint8_t> bigram; ///< 1 for a bigram
  detail::term_texts text;          ///< term text ("" for a bigram not recovered yet)
  term_params params;               ///< how the terms were made (to find them again in a text)
  std::uint64_t corpus_docs = 0;
  std::uint64_t model_docs = 0;
};

namespace detail {
/// The tfidf module's way in to a matrix's representation (the builder fills it, the pair search
/// reads the Eigen matrix).
struct matrix_access {
  using sparse = tfidf_matrix::impl::sparse;
  static tfidf_matrix::impl& of(tfidf_matrix& x) noexcept { return *x.impl_; }
  static const tfidf_matrix::impl& of(const tfidf_matrix& x) noexcept { return *x.impl_; }
};
} // namespace detail

} // namespace copydesk
