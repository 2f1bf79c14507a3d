// One-permutation MinHash with optimal densification, and the slot-agreement estimator.
#include "common/hash_mix.hpp"

#include <copydesk/minhash.hpp>

#include <algorithm>
#include <cmath>

namespace copydesk {

result<void> minhash_params::validate() const {
  if (num_perm == 0 || num_perm > 4096) {
    return make_error(errc::invalid_argument, "number of MinHash slots must be in 1..4096, got " +
                                                  std::to_string(num_perm));
  }
  return shingles.validate();
}

namespace {

// splitmix64 finaliser: derives round t's bin and value of a shingle from its hash.
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint32_t bits_for(std::uint32_t n) noexcept {
  std::uint32_t b = 0;
  while ((std::uint32_t{1} << b) < n)
    ++b;
  return b;
}

} // namespace

void minhash_signature(std::span<const hash64> shingles, std::uint32_t k,
                       std::uint32_t* out) noexcept {
  std::fill(out, out + k, empty_slot);
  if (shingles.empty())
    return;
  // A slot is (round << value_bits) | value: comparing slots compares rounds first. Rounds run
  // to 2k, so value_bits = 32 - ceil(log2(2k)) (24 bits at k = 128); a chance tie between two
  // different shingles' values has probability 2^-24 per slot, far below estimator noise.
  const std::uint32_t round_bits = bits_for(2 * k);
  const std::uint32_t value_bits = 32 - round_bits;
  const std::uint32_t value_shift = 64 - value_bits;
  // Round 0: one-permutation hashing on the shingle hash itself.
  for (const hash64 h : shingles) {
    const std::uint32_t bin = detail::reduce_range(h, k);
    const auto v = static_cast<std::uint32_t>(h << 32 >> value_shift); // low bits of h
    out[bin] = v < out[bin] ? v : out[bin];
  }
  std::uint32_t empty = 0;
  for (std::uint32_t i = 0; i < k; ++i)
    empty += out[i] == empty_slot ? 1u : 0u;
  // Rounds 1..k-1: re-throw every shingle while bins are empty. Values of round t are >= t
  // (in slot order), so bins filled earlier can never change: stop as soon as none is empty.
  for (std::uint32_t t = 1; t < k && empty != 0; ++t) {
    // Shingle hashes are already uniform 64-bit values, so one multiply by a round-specific
    // odd constant (multiply-shift hashing) re-randomises the bin and value of round t.
    const std::uint64_t mult = mix(t) | 1;
    const std::uint32_t high = t << value_bits;
    for (const hash64 h : shingles) {
      const std::uint64_t r = h * mult;
      const std::uint32_t bin = detail::reduce_range(r, k);
      if (out[bin] < high)
        continue; // filled in an earlier round
      const std::uint32_t v = high | static_cast<std::uint32_t>(r >> value_shift);
      if (out[bin] == empty_slot)
        --empty;
      out[bin] = v < out[bin] ? v : out[bin];
    }
  }
  // Rounds k..2k-1: round k+j throws every shingle into bin j itself.
  for (std::uint32_t j = 0; j < k && empty != 0; ++j) {
    if (out[j] != empty_slot)
      continue;
    const std::uint32_t t = k + j;
    const std::uint64_t salt = 0xD6E8FEB86659FD93ULL * t;
    std::uint32_t best = empty_slot;
    for (const hash64 h : shingles) {
      const std::uint32_t v =
          (t << value_bits) | static_cast<std::uint32_t>(mix(h ^ salt) >> value_shift);
      best = v < best ? v : best;
    }
    out[j] = best;
    --empty;
  }
}

void minhash_signature(std::span<const hash64> shingles, std::uint32_t k,
                       std::vector<std::uint32_t>& out) {
  out.resize(k);
  minhash_signature(shingles, k, out.data());
}

similarity estimate_jaccard(std::span<const std::uint32_t> a,
                            std::span<const std::uint32_t> b) noexcept {
  COPYDESK_ASSERT(a.size() == b.size() && !a.empty());
  std::size_t eq = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    eq += a[i] == b[i] ? 1 : 0;
  const double k = static_cast<double>(a.size());
  const double j = static_cast<double>(eq) / k;
  const double half = 1.96 * std::sqrt(j * (1.0 - j) / k);
  return similarity{j, std::max(0.0, j - half), std::min(1.0, j + half)};
}

} // namespace copydesk
