// MinHash stage: shingle hashes -> fixed-size signatures whose slot agreement estimates Jaccard.
// Algorithm: one-permutation hashing (each shingle goes to one of k bins, each bin keeps its
// minimum) with optimal densification for empty bins (Shrivastava, ICML 2017). The estimator is
// unbiased and, for sets larger than k, has lower variance than classic k-permutation MinHash
// (bins sample without replacement); cost is O(1) per shingle instead of O(k).
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/shingle.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr std::uint32_t num_perm = 128; ///< MinHash slots
} // namespace defaults

/// Value of a slot that no shingle reached (only in signatures of empty documents).
inline constexpr std::uint32_t empty_slot = 0xFFFFFFFFu;

/// Parameters every signature carries; signatures only compare under equal params.
struct minhash_params {
  std::uint32_t num_perm = defaults::num_perm; ///< slots, 1..4096
  shingle_params shingles;

  /// errc::invalid_argument for a slot count out of range or bad shingle params.
  [[nodiscard]] result<void> validate() const;
  friend bool operator==(const minhash_params&, const minhash_params&) = default;
};

/// Puts shingle hash h into its bin: slots[bin(h)] = min(slots[bin(h)], value(h)).
/// @pre slots.size() == k, initialised to empty_slot.
inline void minhash_update(std::uint32_t* slots, std::uint32_t k, hash64 h) noexcept {
  // Bin from the high bits (multiply-shift range reduction), value from the low 32 bits.
  const std::uint32_t bin = reduce_range(h, k);
  const auto v = static_cast<std::uint32_t>(h);
  slots[bin] = v < slots[bin] ? v : slots[bin];
}

/// Fills empty bins by optimal densification: empty bin i borrows the value of the first
/// non-empty bin in a pseudo-random probe sequence that depends only on (i, attempt), so two
/// documents with the same bins borrow the same way. No-op when all bins are empty.
void minhash_densify(std::uint32_t* slots, std::uint32_t k) noexcept;

/// Signature of a set of shingle hashes (duplicates are harmless). Output size k.
void minhash_signature(std::span<const hash64> shingles, std::uint32_t k,
                       std::vector<std::uint32_t>& out);

/// Jaccard estimate (fraction of equal slots) with ~95% normal bounds ±1.96·√(J(1−J)/k).
/// @pre a.size() == b.size() > 0. Two all-empty signatures score 1 (both sets empty).
[[nodiscard]] similarity estimate_jaccard(std::span<const std::uint32_t> a,
                                          std::span<const std::uint32_t> b) noexcept;

} // namespace copydesk
