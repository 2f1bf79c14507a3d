// The phases of a dedup run (dedup.cpp), each testable alone: sketch and order the corpus,
// candidate pairs, exact shingle sets of the candidates, verification, cluster completion, and
// clusters with representatives.
#pragma once

#include <copydesk/containment.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/io.hpp>
#include <copydesk/types.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace copydesk::detail {

/// Every document's sketch, documents in id order.
struct sketched_corpus {
  std::vector<doc_info> documents;  ///< sorted by id
  std::vector<std::uint32_t> slots; ///< documents.size() * num_perm MinHash slots
  fingerprint_table fingerprints;   ///< sampled fingerprints, one row per document
  std::vector<bool> skip;           ///< documents without tokens (never LSH candidates)
};

/// Phase 1: reads every batch of `source` (one reader, config.threads sketching workers) and
/// orders the documents by id, so nothing later depends on input order.
/// @param progress stage "sketch" (bytes read)
[[nodiscard]] result<sketched_corpus> sketch_corpus(const document_source& source,
                                                    const dedup_config& config, diagnostics& diag,
                                                    const progress_fn& progress);

/// Phase 2: LSH candidates united with containment candidates (when config.find_contained),
/// sorted. Sets stats.lsh, lsh_candidates and containment_candidates.
[[nodiscard]] std::vector<candidate_pair>
find_candidates(const sketched_corpus& corpus, const dedup_config& config, dedup_stats& stats);

/// The documents in some pair, ascending and unique.
[[nodiscard]] std::vector<doc_index> documents_in(const std::vector<candidate_pair>& pairs);

/// Phase 3: the exact shingle sets (sorted, unique) of `needed`, read again through source.text;
/// every other document of the n gets an empty set.
/// @return the first error of source.text.
[[nodiscard]] result<std::vector<std::vector<hash64>>>
shingle_sets(std::size_t n, const std::vector<doc_index>& needed,
             const std::vector<doc_info>& documents, const document_source& source,
             const dedup_config& config);

/// Phase 4: exact scores of `pairs` over `sets`, keeping those that qualify (identical sets:
/// exact; Jaccard >= threshold: near; the smaller set's share in the larger >= the containment
/// threshold: contained), in the order of `pairs`. A pair with an empty set never qualifies.
[[nodiscard]] std::vector<duplicate_pair> verify_pairs(const std::vector<candidate_pair>& pairs,
                                                       const std::vector<std::vector<hash64>>& sets,
                                                       const dedup_config& config);

/// Phase 5: the member pairs of clusters (connected components of `pairs` over n documents) of
/// at most `max_members` that are not in `proposed` (sorted), sorted.
[[nodiscard]] std::vector<candidate_pair>
completion_candidates(std::size_t n, const std::vector<duplicate_pair>& pairs,
                      const std::vector<candidate_pair>& proposed, std::size_t max_members);

/// Phase 6: res.clusters and res.cluster_of from res.pairs over res.documents. Representative:
/// the member in the most pairs, then the one with more tokens, then the smaller id; a cluster's
/// kind is the loosest of its pairs (exact < near < contained).
void build_clusters(dedup_result& res);

} // namespace copydesk::detail
