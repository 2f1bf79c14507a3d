// Byte-level pieces of copydesk's binary formats (docs/FORMAT.md): little-endian integers and the
// FNV-1a 64 hash, which checksums every file and hashes TF-IDF terms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace copydesk::detail {

inline constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ULL;
inline constexpr std::uint64_t fnv_prime = 0x100000001b3ULL;

inline std::uint64_t fnv_update(std::uint64_t h, std::string_view s) noexcept {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= fnv_prime;
  }
  return h;
}
inline std::uint64_t fnv_update(std::uint64_t h, char c) noexcept {
  h ^= static_cast<unsigned char>(c);
  return h * fnv_prime;
}

inline void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void put64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
/// @pre at + 4 <= s.size().
inline std::uint32_t get32(std::string_view s, std::size_t at) noexcept {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = v << 8 | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}
/// @pre at + 8 <= s.size().
inline std::uint64_t get64(std::string_view s, std::size_t at) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = v << 8 | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

} // namespace copydesk::detail
