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
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr std::uint32_t num_perm = 128; ///< MinHash slots
} // namespace defaults

/// The hash functions behind a signature's slots: token hashes (seeded XXH3-64 of the 16-byte
/// block form, shingle.hpp), their combination into shingle hashes, and the rounds of
/// minhash_signature. Any change to one of them that changes a slot gets a new value.
enum class hash_family : std::uint32_t {
  xxh3_fss_v1 = 1, ///< XXH3 block-form tokens, rotate-xor + fmix64 shingles, fast sketching
};
/// "xxh3-fss-v1" (or "unknown(N)").
[[nodiscard]] std::string to_string(hash_family f);

/// Parameters every signature carries; signatures only compare under equal params.
struct minhash_params {
  std::uint32_t num_perm = defaults::num_perm; ///< slots, 1..4096
  shingle_params shingles;
  hash_family family = hash_family::xxh3_fss_v1;

  /// errc::invalid_argument for a slot count out of range or bad shingle params.
  [[nodiscard]] result<void> validate() const;
  friend bool operator==(const minhash_params&, const minhash_params&) = default;
};

/// Checks that sketches made under `got` can be used where `expected` is in force.
/// @return errc::incompatible_params naming the first field that differs, "expected X, got Y".
[[nodiscard]] result<void> check_compatible(const minhash_params& expected,
                                            const minhash_params& got);

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

/// A MinHash signature together with the params it was made with, so that signatures made with
/// other settings (another shingle width, slot count, seed, normalization or hash family) are
/// refused instead of compared. Its binary form is versioned and checksummed (docs/FORMAT.md).
class signature {
public:
  /// Signature of a text under `p`: invalid UTF-8 is replaced as the readers do, then the text
  /// is tokenized, shingled and sketched exactly as `copydesk dedup` sketches a document.
  /// @return errc::invalid_argument for bad params, errc::incompatible_params when `p` asks for
  ///         a normalization version or hash family this build does not compute.
  [[nodiscard]] static result<signature> of_text(std::string_view text, const minhash_params& p);
  /// Signature of shingle hashes made under p.shingles (duplicates are harmless).
  [[nodiscard]] static result<signature> of_shingles(std::span<const hash64> shingles,
                                                     const minhash_params& p);
  /// Wraps slots computed elsewhere; errc::invalid_argument unless slots.size() == p.num_perm.
  [[nodiscard]] static result<signature> from_slots(const minhash_params& p,
                                                    std::vector<std::uint32_t> slots);

  [[nodiscard]] const minhash_params& params() const noexcept { return params_; }
  [[nodiscard]] std::span<const std::uint32_t> slots() const noexcept { return slots_; }
  /// True for the signature of an empty set (every slot is empty_slot).
  [[nodiscard]] bool is_empty() const noexcept;

  /// The binary form (docs/FORMAT.md, "MinHash signature"): 48 + 4 × num_perm bytes.
  [[nodiscard]] std::string serialize() const;
  /// Reads the binary form. errc::corrupt_file (bad magic, truncated, checksum, bad field),
  /// errc::unsupported_version (another format version).
  [[nodiscard]] static result<signature> deserialize(std::string_view bytes);
  /// Same, and refuses a signature made under other params than `expected`
  /// (errc::incompatible_params, "expected X, got Y").
  [[nodiscard]] static result<signature> deserialize(std::string_view bytes,
                                                     const minhash_params& expected);

  friend bool operator==(const signature&, const signature&) = default;

private:
  signature(const minhash_params& p, std::vector<std::uint32_t> slots)
      : params_(p), slots_(std::move(slots)) {}
  minhash_params params_;
  std::vector<std::uint32_t> slots_;
};

/// Jaccard estimate of two signatures with ~95% bounds (estimate_jaccard).
/// @return errc::incompatible_params if their params differ.
[[nodiscard]] result<similarity> jaccard(const signature& a, const signature& b);

/// Signature of the union of the two sets: the slot-wise minimum, which is exactly the signature
/// minhash_signature computes for the union (every slot is a minimum over the set's elements).
/// @return errc::incompatible_params if their params differ.
[[nodiscard]] result<signature> merge(const signature& a, const signature& b);

} // namespace copydesk
