// Hash mixing shared inside the library: 64-bit range reduction, murmur3's finaliser, and the
// shingle stage's combination of token hashes (also used by borrow to index shingles). Private:
// the public hashing API is shingle.hpp.
#pragma once

#include <copydesk/types.hpp>

#include <cstdint>
#include <string_view>

namespace copydesk::detail {

/// For the 64x64->128 multiply-shift reduction (__extension__ needs the typedef form).
__extension__ typedef unsigned __int128 uint128; // NOLINT(modernize-use-using)

/// Maps a uniform 64-bit value to [0, n) without division (Lemire's multiply-shift).
inline constexpr std::uint32_t reduce_range(std::uint64_t x, std::uint32_t n) noexcept {
  return static_cast<std::uint32_t>((static_cast<uint128>(x) * n) >> 64);
}

/// murmur3's 64-bit finaliser: a bijection in which every output bit depends on every input bit.
inline constexpr std::uint64_t fmix64(std::uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

/// Final mix of a shingle's rolling value (murmur3 fmix64 after salting with the width), so every
/// output bit depends on every token.
[[nodiscard]] inline hash64 finish_shingle(hash64 b, std::uint32_t k) noexcept {
  return fmix64(b ^ 0x9E3779B97F4A7C15ULL * k);
}

[[nodiscard]] inline hash64 rotl64(hash64 x, unsigned r) noexcept {
  return r % 64 == 0 ? x : (x << (r % 64)) | (x >> (64 - r % 64));
}

/// Hash of the k-gram of token hashes t[0..k): finish(XOR_j rotl(t[j], k-1-j)). Each position
/// has its own rotation (k <= 64), so order matters; the XOR form lets word_shingles roll it
/// along a text in O(1) per shingle.
[[nodiscard]] inline hash64 combine_shingle(const hash64* t, std::uint32_t k) noexcept {
  hash64 b = 0;
  for (std::uint32_t j = 0; j < k; ++j)
    b = rotl64(b, 1) ^ t[j];
  return finish_shingle(b, k);
}

/// hash_token for a token from detail::for_each_token, whose 16 bytes from data() are readable.
[[nodiscard]] hash64 hash_scanned_token(std::string_view token, std::uint64_t seed) noexcept;

} // namespace copydesk::detail
