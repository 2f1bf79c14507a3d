// Exact pair verification shared by dedup and the archive.
#include <copydesk/dedup.hpp>
#include <copydesk/shingle.hpp>

namespace copydesk {

std::optional<duplicate_pair> verify_pair(std::span<const hash64> a, std::span<const hash64> b,
                                          const dedup_config& config) {
  if (a.empty() || b.empty())
    return std::nullopt;
  duplicate_pair dp;
  dp.shared = static_cast<std::uint32_t>(intersection_size(a, b));
  const auto uni = static_cast<double>(a.size() + b.size() - dp.shared);
  dp.jaccard = dp.shared / uni;
  dp.a_in_b = static_cast<double>(dp.shared) / static_cast<double>(a.size());
  dp.b_in_a = static_cast<double>(dp.shared) / static_cast<double>(b.size());
  if (dp.shared == a.size() && dp.shared == b.size()) {
    dp.kind = pair_kind::exact;
    return dp;
  }
  if (dp.jaccard >= config.threshold) {
    dp.kind = pair_kind::near;
    return dp;
  }
  const double smaller_in_larger = a.size() <= b.size() ? dp.a_in_b : dp.b_in_a;
  if (config.find_contained && smaller_in_larger >= config.containment.threshold) {
    dp.kind = pair_kind::contained;
    return dp;
  }
  return std::nullopt;
}

} // namespace copydesk
