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
