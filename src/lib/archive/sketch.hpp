// What the archive computes from one text, for adding it and for comparing it: the dedup shingle
// set and signature, LSH band keys, winnowing fingerprints of the borrow seeds, and term counts.
// Also the byte-level pieces of the archive's rows (packed integer arrays).
#pragma once

#include <copydesk/archive.hpp>
#include <copydesk/borrow.hpp>
#include <copydesk/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace copydesk::archive_detail {

/// One document's sketch under the archive's settings.
struct doc_sketch {
  std::uint32_t tokens = 0;
  std::vector<hash64> shingles;            ///< sorted, unique (dedup's shingle set)
  std::vector<std::uint32_t> slots;        ///< MinHash signature
  std::vector<std::uint64_t> band_keys;    ///< one per band; none for an empty document
  std::vector<std::uint32_t> fingerprints; ///< winnowed borrow seeds, sorted, unique
  std::vector<std::pair<std::uint64_t, std::uint32_t>> terms; ///< (term hash, tf), by hash
  std::vector<std::string> term_texts;                        ///< parallel to terms
  std::uint64_t content_hash = 0;                             ///< FNV-1a 64 of the text
};

/// Sketches `text` (valid UTF-8) under `s`; lsh must be resolved (bands >= 1).
void sketch_text(std::string_view text, const archive_settings& s, doc_sketch& out);

/// The (term hash, count) pairs of a text, by hash, and optionally the terms' texts (parallel):
/// the terms part of sketch_text.
void count_terms(std::string_view text, const archive_settings& s,
                 std::vector<std::pair<std::uint64_t, std::uint32_t>>& terms,
                 std::vector<std::string>* texts = nullptr);
/// The dedup shingle set of a text (sorted, unique): the shingles part of sketch_text.
void shingle_set(std::string_view text, const archive_settings& s, std::vector<hash64>& out);

/// FNV-1a 64 of a text: the identity of a document's content.
[[nodiscard]] std::uint64_t content_hash(std::string_view text) noexcept;

/// Key of band `band` of a signature (its rows slots and the band number, mixed to 64 bits).
[[nodiscard]] std::uint64_t band_key(const std::uint32_t* slots, std::uint32_t rows,
                                     std::uint32_t band) noexcept;

/// Little-endian packed arrays (the archive's blobs).
[[nodiscard]] std::string pack32(std::span<const std::uint32_t> v);
[[nodiscard]] std::string pack64(std::span<const std::uint64_t> v);
/// errc::corrupt_file when the blob's size is not a multiple of the element size.
[[nodiscard]] result<std::vector<std::uint32_t>> unpack32(std::string_view blob,
                                                          std::string_view what);
[[nodiscard]] result<std::vector<std::uint64_t>> unpack64(std::string_view blob,
                                                          std::string_view what);

/// TF-IDF weights of a document's terms under archive frequencies: (1 + ln tf) * idf with
/// idf = ln((1 + n) / (1 + df)) + 1, L2-normalized, as tfidf_matrix weights rows. `df` gives the
/// frequency of term i of `terms`. Returns weights parallel to `terms`.
[[nodiscard]] std::vector<double>
tfidf_weights(std::span<const std::pair<std::uint64_t, std::uint32_t>> terms,
              std::span<const std::uint64_t> df, std::uint64_t n);

/// Indices of the `k` strongest weights (ties: smaller term hash), strongest first.
[[nodiscard]] std::vector<std::uint32_t>
key_term_indices(std::span<const std::pair<std::uint64_t, std::uint32_t>> terms,
                 std::span<const double> weights, std::size_t k);

} // namespace copydesk::archive_detail
