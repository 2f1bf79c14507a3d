// Containment candidates: pairs where most of one document's shingles occur in another, at any
// size ratio (which Jaccard-LSH misses: a short wire story inside a long web page has a low
// Jaccard). Each document keeps a content-defined sample of its shingles (hash mod p == 0, the
// same shingles in every document), an inverted index maps sampled fingerprints to documents,
// and a pair is a candidate when it shares enough of the smaller side's sample.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr std::uint32_t sample_mod = 8;           ///< keep 1 shingle in p as a fingerprint
inline constexpr std::uint32_t fingerprint_max_df = 256; ///< fingerprints in more docs are skipped
inline constexpr double containment = 0.8; ///< share of the smaller document's shingles
} // namespace defaults

/// Sampling and candidate settings.
struct containment_params {
  std::uint32_t sample_mod = defaults::sample_mod;     ///< p, a power of two in 1..1024
  std::uint32_t max_df = defaults::fingerprint_max_df; ///< >= 2
  double threshold = defaults::containment;            ///< in (0,1]

  [[nodiscard]] result<void> validate() const;
};

/// True if shingle hash h belongs to the sample (uses bits that MinHash binning does not).
[[nodiscard]] inline bool is_sampled(hash64 h, std::uint32_t sample_mod) noexcept {
  return ((h >> 40) & (sample_mod - 1)) == 0;
}

/// 32-bit fingerprint of a sampled shingle.
[[nodiscard]] inline std::uint32_t fingerprint(hash64 h) noexcept {
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

/// Sampled fingerprints of `n` documents in CSR form: document d owns
/// fps[offsets[d] .. offsets[d+1]) (any order; repeats count once).
struct fingerprint_table {
  std::vector<std::uint32_t> fps;
  std::vector<std::uint64_t> offsets{0};
};

/// Candidate pairs for containment. A pair (a, b) qualifies when the number of shared
/// fingerprints reaches need(u) for the smaller usable sample u of the two, where usable
/// fingerprints are those in at most max_df documents and need(u) = max(1, ⌈u·threshold/2⌉)
/// (half the threshold: sampling noise must not lose a pair; verification is exact anyway).
/// Work is Σ df² over fingerprints with df <= max_df; runs on `threads` threads.
/// @return pairs packed as (a << 32 | b), a < b, sorted, unique.
[[nodiscard]] std::vector<std::uint64_t> containment_candidates(const fingerprint_table& table,
                                                                const containment_params& p,
                                                                unsigned threads);

} // namespace copydesk
