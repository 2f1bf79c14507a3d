// Dedup stage: documents -> MinHash signatures + sampled fingerprints (one streaming pass) ->
// LSH and containment candidates -> exact verification on shingle sets (second pass, reading
// only candidate documents again) -> union-find duplicate clusters with representatives.
// Every reported score is exact; estimates only choose what to verify.
#pragma once

#include <copydesk/containment.hpp>
#include <copydesk/dist.hpp>
#include <copydesk/error.hpp>
#include <copydesk/io.hpp>
#include <copydesk/lsh.hpp>
#include <copydesk/minhash.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr double jaccard_threshold = 0.8;
inline constexpr std::size_t complete_cluster_max = 64;
} // namespace defaults

/// Settings of `copydesk dedup`; all of them are printed in the output's "params".
struct dedup_config {
  minhash_params minhash;
  double threshold = defaults::jaccard_threshold; ///< Jaccard for near-duplicates, in (0,1]
  containment_params containment;                 ///< contained duplicates
  bool find_contained = true;                     ///< look for contained duplicates at all
  lsh_params lsh;                                 ///< {0,0} = chosen from threshold
  /// Clusters up to this size get every member pair verified (pairs LSH did not propose).
  std::size_t complete_cluster_max = defaults::complete_cluster_max;
  unsigned threads = 1;

  /// errc::invalid_argument naming the bad setting.
  [[nodiscard]] result<void> validate() const;
  /// LSH layout in use: lsh if set, else choose_lsh_params(threshold, num_perm).
  [[nodiscard]] lsh_params effective_lsh() const;
};

/// Why a pair is reported. exact: identical shingle sets; near: Jaccard >= threshold;
/// contained: the smaller document's containment in the larger >= containment threshold.
enum class pair_kind : std::uint8_t { exact, near, contained };
[[nodiscard]] const char* to_string(pair_kind k) noexcept;

/// A verified duplicate pair (a < b in id order). Scores are exact over shingle sets.
struct duplicate_pair {
  doc_index a = 0;
  doc_index b = 0;
  double jaccard = 0.0;
  double a_in_b = 0.0;      ///< share of a's shingles found in b
  double b_in_a = 0.0;      ///< share of b's shingles found in a
  std::uint32_t shared = 0; ///< shingles in common
  pair_kind kind = pair_kind::near;
};

/// A duplicate cluster. Representative rule: the member in the most reported pairs; ties go to
/// the member with more tokens, then to the smaller id.
struct duplicate_cluster {
  std::vector<doc_index> members; ///< ascending (id order)
  doc_index representative = 0;
  pair_kind kind = pair_kind::exact; ///< loosest kind among its pairs (exact < near < contained)
};

/// Counts that explain the run.
struct dedup_stats {
  std::size_t lsh_candidates = 0;
  std::size_t containment_candidates = 0;
  std::size_t completion_candidates = 0; ///< pairs added by verifying small clusters fully
  std::size_t verified = 0;              ///< pairs whose shingle sets were intersected
  std::size_t documents_reread = 0;      ///< documents read a second time for verification
  lsh_params lsh;
  // Wall-clock seconds per phase. Not part of any report (they vary run to run); the CLI prints
  // them with --verbose.
  double seconds_sketch = 0;     ///< reading and sketching every document
  double seconds_candidates = 0; ///< LSH and containment candidates
  double seconds_verify = 0;     ///< reading candidates again, exact verification, completion
  double seconds_clusters = 0;   ///< clusters and representatives
  /// Distributed runs (issue 12): bytes sent between ranks, all ranks together (0 in one
  /// process). Not part of any report either.
  std::uint64_t bytes_exchanged = 0;
};

/// Result of dedup; documents sorted by id, indices in pairs/clusters refer to that order.
struct dedup_result {
  std::vector<doc_info> documents;
  std::vector<std::uint32_t> shingles;     ///< unique shingles per document (0 where not computed)
  std::vector<std::int32_t> cluster_of;    ///< cluster index per document, -1 if in none
  std::vector<duplicate_pair> pairs;       ///< sorted by (a, b)
  std::vector<duplicate_cluster> clusters; ///< ordered by smallest member
  dedup_stats stats;
  dedup_config config;
};

/// Exact verification of two documents from their shingle sets (sorted, unique): the pair's
/// scores (a, b left 0), and whether `config` reports it, with its kind: exact (equal sets), near
/// (Jaccard >= threshold) or contained (the smaller set's share in the larger >= the containment
/// threshold, when find_contained). An empty set is never a duplicate.
[[nodiscard]] std::optional<duplicate_pair>
verify_pair(std::span<const hash64> a, std::span<const hash64> b, const dedup_config& config);

/// MinHash signature slots and sampled fingerprints of one text (the per-document hot path).
/// @param slots k = config.minhash.num_perm values, overwritten.
/// @param fps receives the sampled fingerprints (in text order, repeats possible).
/// @return number of tokens.
std::size_t sketch_text(std::string_view text, const dedup_config& config, std::uint32_t* slots,
                        std::vector<std::uint32_t>& fps);

/// Runs dedup over every document of `reader`.
/// @param progress stages "sketch" (bytes read), "candidates" (pairs) and "verify" (documents
///        read again).
/// @return reader errors (errc::invalid_input, errc::duplicate_id, errc::io_error) or
///         errc::invalid_argument for a bad config.
[[nodiscard]] result<dedup_result> run_dedup(corpus_reader& reader, const dedup_config& config,
                                             diagnostics& diag, const progress_fn& progress = {});

/// Same, for documents already in memory (read once and shared by several stages, as
/// `copydesk report` does): verification looks their texts up instead of reading them again.
/// @return errc::duplicate_id for two documents with one id, errc::invalid_argument for a bad
///         config.
[[nodiscard]] result<dedup_result> run_dedup(std::span<const document> docs,
                                             const dedup_config& config, diagnostics& diag);

/// Same, for documents that a caller fetches a batch at a time (source.next_batch; an empty batch
/// ends the corpus; ids must be unique) and whose text source.text gives again for verification
/// (a document_feed, a memory_corpus, a corpus_reader).
/// @return the source's errors, errc::invalid_argument for a bad config.
[[nodiscard]] result<dedup_result> run_dedup(const document_source& source,
                                             const dedup_config& config, diagnostics& diag,
                                             const progress_fn& progress = {});

/// How the ranks of a distributed dedup get their documents (issue 12).
enum class dist_input : std::uint8_t {
  /// Each rank's reader was opened on the same inputs with read_options::share = its rank and
  /// shares = the number of ranks: every rank reads its own share, in parallel.
  shares,
  /// Rank 0's reader reads everything and sends every batch but its own to one of the other
  /// ranks, round robin (standard input, which only one process can read; or output that reads
  /// records again at rank 0). The other ranks' readers are not used.
  scatter,
};

/// Dedup split over the ranks of `ex`: each rank sketches the documents it reads; LSH band keys
/// and containment fingerprints go to the rank that owns their hash, which forms the candidate
/// pairs; each pair is verified exactly at the rank that read its first document, with the
/// other document's shingle set sent there; verified pairs are gathered at rank 0 for cluster
/// completion (verified again where they belong) and clusters. Every rank makes the same calls.
/// @return on rank 0, the result run_dedup gives for the same inputs in one process (the
///         diagnostics of every rank, in read order, are in rank 0's `diag`); on the other
///         ranks, a result without documents. An error is the one a single process would have
///         met first, on every rank.
[[nodiscard]] result<dedup_result> run_dedup(corpus_reader& reader, const dedup_config& config,
                                             diagnostics& diag, dist::exchange& ex,
                                             dist_input input, const progress_fn& progress = {});

} // namespace copydesk
