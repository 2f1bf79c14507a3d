// The tokenizer's scanner, shared by the stages that walk a text's tokens (text, shingle, tfidf,
// borrow): ASCII words a block at a time (SSE2 on x86-64, portable SWAR elsewhere), non-ASCII runs
// handed to the ICU path of src/lib/text/. Private: the public API is text::tokenize and the
// hashing functions of shingle.hpp.
#pragma once

#include <copydesk/types.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace copydesk::detail {

/// Receives tokens from the ICU path (non-ASCII words).
class token_sink {
public:
  virtual void emit(std::string_view normalized, byte_span original) = 0;

protected:
  ~token_sink() = default;
};

/// Word-character test for the code point starting at s[i] (s[i] >= 0x80); sets `len` to its
/// UTF-8 length (1 for a stray byte, which is never a word character).
bool is_word_code_point(std::string_view s, std::size_t i, std::uint32_t& len) noexcept;
/// Normalizes the word run s[begin, end) (which holds non-ASCII) and emits its tokens.
void emit_unicode_run(std::string_view s, std::uint32_t begin, std::uint32_t end, token_sink& sink);

/// Byte classes for the scanner: 0 = ASCII separator, 0x80 = byte >= 0x80 (decode it), else
/// the lowercased ASCII letter or digit.
struct byte_table {
  unsigned char cls[256];
  constexpr byte_table() : cls{} {
    for (int c = 0; c < 256; ++c) {
      if (c >= 0x80) {
        cls[c] = 0x80;
      } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
        cls[c] = static_cast<unsigned char>(c);
      } else if (c >= 'A' && c <= 'Z') {
        cls[c] = static_cast<unsigned char>(c + 32);
      }
    }
  }
};
inline constexpr byte_table bytes{};

inline constexpr std::uint64_t ones = 0x0101010101010101ULL;
inline constexpr std::uint64_t highs = 0x8080808080808080ULL;

/// SWAR: high bit of each byte set iff lo <= byte <= hi (meaningful for bytes < 0x80; no
/// borrow crosses bytes because lo, hi <= 0x7F).
inline constexpr std::uint64_t bytes_in_range(std::uint64_t x, unsigned lo, unsigned hi) noexcept {
  const std::uint64_t ge = (x | highs) - ones * lo;
  const std::uint64_t le = ones * (0x80 + hi) - (x & ~highs);
  return ge & le & highs;
}

/// High bit of each byte set iff the byte is an ASCII letter or digit.
inline constexpr std::uint64_t ascii_word_bytes(std::uint64_t x) noexcept {
  return (bytes_in_range(x, '0', '9') | bytes_in_range(x | (ones * 0x20), 'a', 'z')) & ~x;
}

inline std::uint64_t load8(const unsigned char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x; // little-endian: byte 0 is the lowest (x86-64, AArch64)
}

/// Bytes the scanner examines per step.
#if defined(__SSE2__)
inline constexpr std::size_t block = 16;

/// Bit i set iff byte i of p[0..16) is an ASCII letter or digit (SSE2: baseline on x86-64).
inline std::uint32_t word_bits(const unsigned char* p) noexcept {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed compares: bytes >= 0x80 are negative, so they fall outside both ranges.
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
  const __m128i y = _mm_or_si128(x, _mm_set1_epi8(0x20)); // A-Z -> a-z
  const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(y, _mm_set1_epi8('a' - 1)),
                                      _mm_cmplt_epi8(y, _mm_set1_epi8('z' + 1)));
  return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(digit, alpha)));
}
/// Bit i set iff byte i is >= 0x80.
inline std::uint32_t high_bits(const unsigned char* p) noexcept {
  return static_cast<std::uint32_t>(
      _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
}
/// Writes the 16 bytes at p with letters lowercased (digits unchanged) to out.
inline void store_lower(const unsigned char* p, char* out) noexcept {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_or_si128(x, _mm_set1_epi8(0x20)));
}
#else
inline constexpr std::size_t block = 8;

/// Bit i set iff byte i of p[0..8) is an ASCII letter or digit (portable SWAR).
inline std::uint32_t word_bits(const unsigned char* p) noexcept {
  const std::uint64_t m = ascii_word_bytes(load8(p));
  std::uint32_t bits = 0;
  for (unsigned b = 0; b < 8; ++b)
    bits |= static_cast<std::uint32_t>((m >> (8 * b + 7)) & 1) << b;
  return bits;
}
inline std::uint32_t high_bits(const unsigned char* p) noexcept {
  const std::uint64_t m = load8(p) & highs;
  std::uint32_t bits = 0;
  for (unsigned b = 0; b < 8; ++b)
    bits |= static_cast<std::uint32_t>((m >> (8 * b + 7)) & 1) << b;
  return bits;
}
inline void store_lower(const unsigned char* p, char* out) noexcept {
  const std::uint64_t lower = load8(p) | (ones * 0x20);
  std::memcpy(out, &lower, 8);
}
#endif

/// Calls f(std::string_view normalized, byte_span original) for every token of `s`, in order.
/// The view is valid only during the call; f must not call for_each_token itself. The 16 bytes
/// from the view's first byte are always readable (bytes past the token have unspecified
/// values), so a short token can be loaded as one 16-byte block.
/// @pre `s` is valid UTF-8 (see repair_utf8) and shorter than 4 GiB.
template <class F> void for_each_token(std::string_view s, F&& f) {
  struct forward final : token_sink {
    F& fn;
    explicit forward(F& g) : fn(g) {}
    void emit(std::string_view t, byte_span sp) override { fn(t, sp); }
  };
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  // Lowercased ASCII words are written here, a block at a time; the slack also keeps the
  // promise of 16 readable bytes from every token's first byte.
  constexpr std::size_t slack = detail::block > 16 ? detail::block : 16;
  thread_local std::string buf;
  if (buf.size() < n + slack) {
    buf.resize(n + slack);
  }
  char* const out = buf.data();
  const unsigned char* const cls = detail::bytes.cls;
  constexpr std::size_t blk = detail::block;
  constexpr std::uint32_t full = (std::uint32_t{1} << blk) - 1;
  std::size_t i = 0;
  while (i < n) {
    // Skip separators, a block at a time while possible.
    if (i + blk <= n) {
      const std::uint32_t w = detail::word_bits(p + i) | detail::high_bits(p + i);
      if (w == 0) {
        i += blk;
        continue;
      }
      i += static_cast<std::size_t>(std::countr_zero(w));
    } else if (cls[p[i]] == 0) {
      ++i;
      continue;
    }
    std::uint32_t len = 1;
    if (p[i] >= 0x80 && !detail::is_word_code_point(s, i, len)) {
      i += len;
      continue;
    }
    // A word starts at i; extend it while word characters follow.
    std::size_t j = i;
    char* o = out;
    bool ascii = true;
    for (;;) {
      if (j + blk <= n) {
        const std::uint32_t stop = ~detail::word_bits(p + j) & full;
        detail::store_lower(p + j, o);
        const std::size_t run = stop == 0 ? blk : static_cast<std::size_t>(std::countr_zero(stop));
        o += run;
        j += run;
        if (run == blk) {
          continue;
        }
      } else {
        unsigned char c = 0;
        while (j < n && (c = cls[p[j]]) != 0 && c != 0x80) {
          *o++ = static_cast<char>(c);
          ++j;
        }
      }
      // p[j] is not an ASCII letter or digit: the word goes on only through a non-ASCII
      // word character.
      if (j >= n || p[j] < 0x80 || !detail::is_word_code_point(s, j, len)) {
        break;
      }
      ascii = false;
      j += len;
    }
    const byte_span span{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)};
    if (ascii) {
      f(std::string_view(out, static_cast<std::size_t>(o - out)), span);
    } else {
      forward fw(f);
      detail::emit_unicode_run(s, span.begin, span.end, fw);
    }
    i = j;
  }
}

} // namespace copydesk::detail
