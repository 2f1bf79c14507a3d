// Stable LSD radix sort of 64-bit keys by their high 32 bits, for posting lists built in
// ascending low-32-bit order: the result is then fully sorted, in 4 linear passes.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace copydesk::detail {

/// Sorts `v` by bits 32..63, stably. If the low 32 bits ascend within every run of equal high
/// bits on input (e.g. (fingerprint << 32 | doc) pushed in doc order), `v` ends fully sorted.
inline void radix_sort_high32(std::vector<std::uint64_t>& v) {
  std::vector<std::uint64_t> tmp(v.size());
  for (unsigned shift = 32; shift < 64; shift += 8) {
    std::array<std::size_t, 257> count{};
    for (const std::uint64_t x : v)
      ++count[((x >> shift) & 0xFF) + 1];
    for (std::size_t i = 1; i < count.size(); ++i)
      count[i] += count[i - 1];
    for (const std::uint64_t x : v)
      tmp[count[(x >> shift) & 0xFF]++] = x;
    v.swap(tmp);
  }
}

} // namespace copydesk::detail
