// Clustering of scored pairs: union-find (connected components) for duplicate clusters.
// Story groups (average link) live beside it once the stories stage needs them.
#pragma once

#include <copydesk/types.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace copydesk {

/// Disjoint sets over 0..n-1 with path halving and union by size.
class union_find {
public:
  explicit union_find(std::size_t n);
  /// Representative of x's set. Amortised near O(1).
  std::uint32_t find(std::uint32_t x) noexcept;
  /// Merges the sets of a and b; returns false if they were already one set.
  bool unite(std::uint32_t a, std::uint32_t b) noexcept;

private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::uint32_t> size_;
};

/// Connected components of the pair graph over n nodes, only components of size >= 2.
/// Each component is sorted ascending; components are ordered by their smallest member.
[[nodiscard]] std::vector<std::vector<std::uint32_t>>
connected_components(std::size_t n, std::span<const scored_pair> pairs);

} // namespace copydesk

namespace copydesk {

/// Average-link agglomerative clustering over a sparse similarity graph on nodes 0..n-1: the two
/// groups with the highest mean pairwise similarity merge while that mean is >= threshold.
/// A pair absent from `pairs` counts as similarity 0 (pass every pair above a floor well below
/// the threshold). Ties go to the pair of groups with the smallest members, so the result depends
/// only on the input pairs. O(E log E) plus the neighbour lists touched by each merge.
/// @param pairs a < b, each pair at most once, score in [0,1].
/// @return every group (singletons included), members ascending, groups by smallest member.
[[nodiscard]] std::vector<std::vector<std::uint32_t>>
average_link(std::size_t n, std::span<const scored_pair> pairs, double threshold);

} // namespace copydesk
