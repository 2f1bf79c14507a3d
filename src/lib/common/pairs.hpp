// Candidate pairs as the searches build them: packed (a << 32 | b) keys, which sort as one
// integer, turned into the public candidate_pair list once at the end.
#pragma once

#include <copydesk/types.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace copydesk::detail {

/// Packs a pair for sorting: (a, b) order equals integer order.
inline constexpr std::uint64_t pack_pair(doc_index a, doc_index b) noexcept {
  return static_cast<std::uint64_t>(a) << 32 | b;
}

/// Sorts and deduplicates packed pairs (consumed) into candidate pairs in (a, b) order.
inline std::vector<candidate_pair> sorted_unique_pairs(std::vector<std::uint64_t>&& packed) {
  std::sort(packed.begin(), packed.end());
  packed.erase(std::unique(packed.begin(), packed.end()), packed.end());
  std::vector<candidate_pair> out(packed.size());
  for (std::size_t i = 0; i < packed.size(); ++i)
    out[i] = {static_cast<doc_index>(packed[i] >> 32), static_cast<doc_index>(packed[i])};
  packed = {};
  return out;
}

} // namespace copydesk::detail
