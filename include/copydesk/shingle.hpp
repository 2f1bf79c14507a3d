// Shingle stage: tokens -> 64-bit shingle hashes. Word k-grams hash each token once with XXH3
// (seeded) and combine k token hashes per shingle, so the cost is O(tokens), not O(tokens * k)
// bytes hashed. Character n-grams (over the normalized words joined by single spaces) are the
// option for OCR noise and unsegmented scripts.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/text.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr std::uint32_t shingle_width = 5;              ///< words per shingle
inline constexpr std::uint64_t hash_seed = 0x636f707964657368; ///< "copydesh": XXH3 seed
} // namespace defaults

/// What a shingle is made of.
enum class shingle_unit : std::uint8_t { words, chars };

/// Shingling parameters; carried by every sketch so mismatches are caught.
struct shingle_params {
  shingle_unit unit = shingle_unit::words;
  std::uint32_t width = defaults::shingle_width; ///< k words or n code points, >= 1
  std::uint64_t seed = defaults::hash_seed;
  std::uint32_t normalization = text::normalization_version;

  /// errc::invalid_argument if width is 0 or above 64.
  [[nodiscard]] result<void> validate() const;
  friend bool operator==(const shingle_params&, const shingle_params&) = default;
};

/// "words:5" or "chars:7".
[[nodiscard]] std::string to_string(const shingle_params& p);

/// Seeded XXH3-64 of one normalized token. A token shorter than 16 bytes is hashed in its block
/// form: its bytes, zeros, and its length in byte 15 (no token byte is below 0x20, so the block
/// form never equals a 16-byte token). One fixed input length keeps XXH3 on one branch-free path
/// for nearly every word.
[[nodiscard]] hash64 hash_token(std::string_view token, std::uint64_t seed) noexcept;

/// Word shingle hashes from token hashes: shingle i covers tokens [i, i+k). A document with
/// 0 < n < k tokens gets one shingle over all its tokens; an empty one gets none.
/// Output size: n >= k ? n-k+1 : (n > 0 ? 1 : 0). Appends to `out`.
void word_shingles(std::span<const hash64> token_hashes, std::uint32_t k, std::vector<hash64>& out);

/// Shingle hashes of a text under `p` (tokenizing it first). Appends to `out`.
/// @return the number of tokens in the text.
/// @pre `s` is valid UTF-8.
std::size_t shingle_text(std::string_view s, const shingle_params& p, std::vector<hash64>& out);

/// Token hashes of a text (one per token, in order). Appends to `out`; returns the token count.
std::size_t hash_tokens(std::string_view s, std::uint64_t seed, std::vector<hash64>& out);

/// Sorts and deduplicates shingle hashes into a set.
void to_set(std::vector<hash64>& hashes);

/// |A ∩ B| of two sorted, deduplicated hash sets. O(|A| + |B|).
[[nodiscard]] std::size_t intersection_size(std::span<const hash64> a,
                                            std::span<const hash64> b) noexcept;

} // namespace copydesk
