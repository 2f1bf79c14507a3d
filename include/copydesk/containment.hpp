// Containment candidates: pairs where most of one document's shingles occur in another, at any
// size ratio (which Jaccard-LSH misses: a short wire story inside a long web page has a low
// Jaccard). Each document keeps a content-defined sample of its shingles (winnowing: the minimum
// fingerprint of every window of w shingles, so a text inside another has all its fingerprints
// there too), an inverted index maps fingerprints to documents, and a pair is a candidate when it
// shares enough of the smaller side's sample.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr std::uint32_t winnow_window = 15;       ///< shingles per winnowing window
inline constexpr std::uint32_t fingerprint_max_df = 256; ///< fingerprints in more docs are skipped
inline constexpr double containment = 0.8; ///< share of the smaller document's shingles
} // namespace defaults

/// Sampling and candidate settings.
struct containment_params {
  std::uint32_t window = defaults::winnow_window;      ///< w, in 1..1024
  std::uint32_t max_df = defaults::fingerprint_max_df; ///< >= 2
  double threshold = defaults::containment;            ///< in (0,1]

  [[nodiscard]] result<void> validate() const;
};

/// 32-bit fingerprint of a shingle.
[[nodiscard]] inline std::uint32_t fingerprint(hash64 h) noexcept {
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

/// Winnowing (Schleimer, Wilkerson, Aiken 2003) over the 32-bit fingerprints of a document's
/// shingles, in text order: appends to `out` the minimum fingerprint of every window of `window`
/// consecutive shingles (a document with fewer shingles is one window), skipping a value equal to
/// the one just appended. The minima are values, not positions, so when text A occurs inside
/// text B every fingerprint of A (with at least `window` shingles) is also one of B's, at any size
/// ratio; and two texts that share a run of `window` shingles share a fingerprint. About
/// 2 / (window + 1) of the shingles are kept.
/// @pre window >= 1.
void winnow(std::span<const hash64> shingles, std::uint32_t window,
            std::vector<std::uint32_t>& out);

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
/// @return pairs with a < b, sorted, unique.
[[nodiscard]] std::vector<candidate_pair> containment_candidates(const fingerprint_table& table,
                                                                 const containment_params& p,
                                                                 unsigned threads);

} // namespace copydesk
