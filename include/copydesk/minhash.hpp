// MinHash stage: shingle hashes -> fixed-size signatures whose slot agreement estimates Jaccard.
// Algorithm: fast similarity sketching (Dahlgaard, Knudsen, Thorup, FOCS 2017). Round 0 is
// one-permutation hashing: each shingle goes to one of k bins with a random value, each bin keeps
// its minimum. While bins are empty, further rounds t = 1, 2, ... re-throw every shingle into a
// fresh random bin with values offset by t (so later rounds never beat earlier ones); after k
// rounds, round k+j fills bin j directly. Every bin holds the minimum of a random ordering of
// (shingle, round) pairs, so P(bin agrees) = J exactly (unbiased), and bins that round 0 fills
// sample without replacement, so the error is at most that of classic k-permutation MinHash.
// Cost: O(n + k log k) per set instead of O(n·k).
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

/// Parameters every signature carries; signatures only compare under equal params.
struct minhash_params {
  std::uint32_t num_perm = defaults::num_perm; ///< slots, 1..4096
  shingle_params shingles;

  /// errc::invalid_argument for a slot count out of range or bad shingle params.
  [[nodiscard]] result<void> validate() const;
  friend bool operator==(const minhash_params&, const minhash_params&) = default;
};

/// Value of a slot that no shingle reached (only in signatures of empty documents).
inline constexpr std::uint32_t empty_slot = 0xFFFFFFFFu;

/// Signature of a set of shingle hashes into out[0..k) (duplicates are harmless).
/// An empty set gives k empty_slot values. O(n + k log k) expected.
/// @pre 1 <= k <= 4096.
void minhash_signature(std::span<const hash64> shingles, std::uint32_t k,
                       std::uint32_t* out) noexcept;

/// Convenience overload: resizes `out` to k.
void minhash_signature(std::span<const hash64> shingles, std::uint32_t k,
                       std::vector<std::uint32_t>& out);

/// Jaccard estimate (fraction of equal slots) with ~95% normal bounds ±1.96·√(J(1−J)/k).
/// @pre a.size() == b.size() > 0. Two all-empty signatures score 1 (both sets empty).
[[nodiscard]] similarity estimate_jaccard(std::span<const std::uint32_t> a,
                                          std::span<const std::uint32_t> b) noexcept;

} // namespace copydesk
