// LSH stage: banded index over MinHash signatures -> candidate pairs. Bands × rows are chosen
// for a Jaccard threshold by minimising weighted false-positive + false-negative mass of the
// S-curve P(s) = 1 − (1 − s^r)^b. Candidates are always verified exactly afterwards, so false
// negatives (lost pairs) cost far more than false positives (extra verification).
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace copydesk {

/// Band layout: bands × rows slots are used (<= num_perm).
struct lsh_params {
  std::uint32_t bands = 0;
  std::uint32_t rows = 0;
  friend bool operator==(const lsh_params&, const lsh_params&) = default;
};

/// Weight of a false negative relative to a false positive when choosing bands × rows. High
/// (at threshold 0.8 and 128 slots it gives 21 bands × 6 rows, P(candidate | J=0.8) = 0.998),
/// because every candidate is verified exactly: a false positive costs one set intersection,
/// a false negative loses a duplicate.
inline constexpr double lsh_false_negative_weight = 500.0;

/// Picks bands × rows for `threshold` in (0,1) and `num_perm` slots by minimising
/// ∫₀ᵗ P(s) ds + w·∫ₜ¹ (1 − P(s)) ds with w = lsh_false_negative_weight.
[[nodiscard]] lsh_params choose_lsh_params(double threshold, std::uint32_t num_perm);

/// Probability that a pair with Jaccard s becomes a candidate under `p`.
[[nodiscard]] double lsh_candidate_probability(double s, lsh_params p) noexcept;

/// The bucket key of one band: a hash of its `rows` slots `v[0..rows)` seeded by the band number.
/// Documents share a bucket of band b when their keys for b are equal (distributed dedup routes
/// them by it).
[[nodiscard]] std::uint64_t lsh_band_key(const std::uint32_t* v, std::uint32_t rows,
                                         std::uint32_t band) noexcept;

/// Candidate pairs from `n` signatures of `k` slots stored back to back in `sigs`.
/// Documents with skip[i] set (empty ones) take no part. A bucket of more than `max_bucket`
/// documents contributes a star (its first member paired with each other member) rather than
/// all pairs, which keeps the cost linear on mass duplication; clustering is unaffected.
/// Bands run on up to `threads` threads; the result does not depend on it.
/// @pre p.bands >= 1 and p.bands × p.rows <= k (dedup_config::validate checks it in 64 bits).
/// @return pairs with a < b, sorted, unique.
[[nodiscard]] std::vector<candidate_pair>
lsh_candidates(std::span<const std::uint32_t> sigs, std::size_t n, std::uint32_t k, lsh_params p,
               const std::vector<bool>& skip, std::size_t max_bucket = 256, unsigned threads = 1);

} // namespace copydesk
