// Shingle hashing: XXH3 per token (inlined, symbols private to this file), k-gram combination,
// character n-grams, and set helpers used by exact verification.
#define XXH_INLINE_ALL
#include "common/hash_mix.hpp"
#include "common/token_scan.hpp"

#include <xxhash.h>

#include <copydesk/shingle.hpp>

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace copydesk {

result<void> shingle_params::validate() const {
  if (width == 0 || width > 64) {
    return make_error(errc::invalid_argument,
                      "shingle width must be in 1..64, got " + std::to_string(width));
  }
  return {};
}

std::string to_string(const shingle_params& p) {
  return std::string(p.unit == shingle_unit::words ? "words:" : "chars:") + std::to_string(p.width);
}

namespace {

constexpr std::size_t token_block = 16;

// Block form of a token shorter than 16 bytes whose first 16 bytes are readable at p.
inline hash64 hash_block(const char* p, std::size_t len, std::uint64_t seed) noexcept {
  alignas(16) unsigned char b[token_block];
#if defined(__SSE2__)
  const __m128i index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m128i keep = _mm_cmplt_epi8(index, _mm_set1_epi8(static_cast<char>(len)));
  const __m128i bytes = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), keep);
  const __m128i length = _mm_slli_si128(_mm_cvtsi32_si128(static_cast<int>(len)), 15); // byte 15
  _mm_store_si128(reinterpret_cast<__m128i*>(b), _mm_or_si128(bytes, length));
#else
  std::memset(b, 0, token_block);
  std::memcpy(b, p, len);
  b[token_block - 1] = static_cast<unsigned char>(len);
#endif
  return XXH3_64bits_withSeed(b, token_block, seed);
}

} // namespace

hash64 hash_token(std::string_view token, std::uint64_t seed) noexcept {
  if (token.size() < token_block) {
    char p[token_block] = {};
    std::memcpy(p, token.data(), token.size());
    return hash_block(p, token.size(), seed);
  }
  return XXH3_64bits_withSeed(token.data(), token.size(), seed);
}

hash64 detail::hash_scanned_token(std::string_view token, std::uint64_t seed) noexcept {
  if (token.size() < token_block) [[likely]]
    return hash_block(token.data(), token.size(), seed);
  return XXH3_64bits_withSeed(token.data(), token.size(), seed);
}

void word_shingles(std::span<const hash64> t, std::uint32_t k, std::vector<hash64>& out) {
  const std::size_t n = t.size();
  if (n == 0)
    return;
  if (n < k) {
    out.push_back(detail::combine_shingle(t.data(), static_cast<std::uint32_t>(n)));
    return;
  }
  out.reserve(out.size() + n - k + 1);
  // Rolling form of combine_shingle: drop t[i-1] (now rotated by k), add t[i+k-1].
  hash64 b = 0;
  for (std::uint32_t j = 0; j < k; ++j)
    b = detail::rotl64(b, 1) ^ t[j];
  out.push_back(detail::finish_shingle(b, k));
  for (std::size_t i = 1; i + k <= n; ++i) {
    b = detail::rotl64(b, 1) ^ detail::rotl64(t[i - 1], k) ^ t[i + k - 1];
    out.push_back(detail::finish_shingle(b, k));
  }
}

std::size_t hash_tokens(std::string_view s, std::uint64_t seed, std::vector<hash64>& out) {
  const std::size_t before = out.size();
  detail::for_each_token(s, [&](std::string_view tok, byte_span) {
    out.push_back(detail::hash_scanned_token(tok, seed));
  });
  return out.size() - before;
}

namespace {

// Character n-grams over the normalized words joined by single spaces, n counted in code points.
std::size_t char_shingles(std::string_view s, const shingle_params& p, std::vector<hash64>& out) {
  std::string norm;
  std::size_t tokens = 0;
  detail::for_each_token(s, [&](std::string_view tok, byte_span) {
    if (tokens++ > 0)
      norm.push_back(' ');
    norm.append(tok);
  });
  if (norm.empty())
    return 0;
  std::vector<std::uint32_t> starts; // code point starts
  for (std::uint32_t i = 0; i < norm.size(); ++i) {
    if ((static_cast<unsigned char>(norm[i]) & 0xC0) != 0x80)
      starts.push_back(i);
  }
  const std::size_t n = starts.size();
  starts.push_back(static_cast<std::uint32_t>(norm.size()));
  if (n < p.width) {
    out.push_back(XXH3_64bits_withSeed(norm.data(), norm.size(), p.seed));
    return tokens;
  }
  for (std::size_t i = 0; i + p.width <= n; ++i) {
    out.push_back(
        XXH3_64bits_withSeed(norm.data() + starts[i], starts[i + p.width] - starts[i], p.seed));
  }
  return tokens;
}

} // namespace

std::size_t shingle_text(std::string_view s, const shingle_params& p, std::vector<hash64>& out) {
  if (p.unit == shingle_unit::chars) {
    return char_shingles(s, p, out);
  }
  // Two tight passes (hash tokens, then roll shingles) measured faster than one fused pass.
  thread_local std::vector<hash64> tokens;
  tokens.clear();
  const std::size_t n = hash_tokens(s, p.seed, tokens);
  word_shingles(tokens, p.width, out);
  return n;
}

void to_set(std::vector<hash64>& h) {
  std::sort(h.begin(), h.end());
  h.erase(std::unique(h.begin(), h.end()), h.end());
}

std::size_t intersection_size(std::span<const hash64> a, std::span<const hash64> b) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  std::size_t n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

} // namespace copydesk
