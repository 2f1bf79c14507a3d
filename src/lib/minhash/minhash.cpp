// One-permutation MinHash with optimal densification, and the slot-agreement estimator.
#include <copydesk/minhash.hpp>

#include <algorithm>
#include <cmath>

namespace copydesk {

result<void> minhash_params::validate() const {
  if (num_perm == 0 || num_perm > 4096) {
    return make_error(errc::invalid_argument,
                      "number of MinHash slots must be in 1..4096, got " + std::to_string(num_perm));
  }
  return shingles.validate();
}

namespace {
// splitmix64 finaliser: the probe sequence of densification.
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
} // namespace

void minhash_densify(std::uint32_t* slots, std::uint32_t k) noexcept {
  std::uint32_t filled = 0;
  for (std::uint32_t i = 0; i < k; ++i) filled += slots[i] != empty_slot ? 1u : 0u;
  if (filled == 0 || filled == k) return;
  // Borrow only from bins that were filled by shingles, never from bins filled here: each
  // empty bin's donor is then an independent uniformly chosen non-empty bin (the "optimal"
  // scheme), which keeps the estimator unbiased.
  std::vector<std::uint8_t> was_filled(k);
  for (std::uint32_t i = 0; i < k; ++i) was_filled[i] = slots[i] != empty_slot ? 1 : 0;
  for (std::uint32_t i = 0; i < k; ++i) {
    if (was_filled[i] != 0) continue;
    for (std::uint64_t attempt = 1;; ++attempt) {
      const std::uint64_t r = mix((static_cast<std::uint64_t>(i) << 32) ^ attempt);
      const std::uint32_t j = reduce_range(r, k);
      if (was_filled[j] != 0) {
        slots[i] = slots[j];
        break;
      }
    }
  }
}

void minhash_signature(std::span<const hash64> shingles, std::uint32_t k,
                       std::vector<std::uint32_t>& out) {
  out.assign(k, empty_slot);
  for (const hash64 h : shingles) minhash_update(out.data(), k, h);
  minhash_densify(out.data(), k);
}

similarity estimate_jaccard(std::span<const std::uint32_t> a,
                            std::span<const std::uint32_t> b) noexcept {
  COPYDESK_ASSERT(a.size() == b.size() && !a.empty());
  std::size_t eq = 0;
  for (std::size_t i = 0; i < a.size(); ++i) eq += a[i] == b[i] ? 1 : 0;
  const double k = static_cast<double>(a.size());
  const double j = static_cast<double>(eq) / k;
  const double half = 1.96 * std::sqrt(j * (1.0 - j) / k);
  return similarity{j, std::max(0.0, j - half), std::min(1.0, j + half)};
}

} // namespace copydesk
