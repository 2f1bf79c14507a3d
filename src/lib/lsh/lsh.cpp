// Banded LSH: parameter choice by numeric integration of the S-curve, and candidate generation
// by sorting (band key, document) per band.
#include <copydesk/lsh.hpp>

#include "common/pairs.hpp"
#include "common/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace copydesk {

double lsh_candidate_probability(double s, lsh_params p) noexcept {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows), p.bands);
}

namespace {
double integrate(double lo, double hi, lsh_params p, bool false_positive) {
  constexpr int steps = 200;
  const double h = (hi - lo) / steps;
  double acc = 0.0;
  for (int i = 0; i < steps; ++i) {
    const double s = lo + (i + 0.5) * h; // midpoint rule
    const double pr = lsh_candidate_probability(s, p);
    acc += false_positive ? pr : 1.0 - pr;
  }
  return acc * h;
}
} // namespace

lsh_params choose_lsh_params(double threshold, std::uint32_t num_perm) {
  lsh_params best{1, num_perm};
  double best_cost = std::numeric_limits<double>::infinity();
  for (std::uint32_t b = 1; b <= num_perm; ++b) {
    for (std::uint32_t r = 1; b * r <= num_perm; ++r) {
      const lsh_params p{b, r};
      const double cost = integrate(0.0, threshold, p, true) +
                          lsh_false_negative_weight * integrate(threshold, 1.0, p, false);
      if (cost < best_cost) {
        best_cost = cost;
        best = p;
      }
    }
  }
  return best;
}

std::uint64_t lsh_band_key(const std::uint32_t* v, std::uint32_t rows,
                           std::uint32_t band) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL * (band + 1);
  for (std::uint32_t i = 0; i < rows; ++i) {
    h ^= v[i];
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  return h;
}

std::vector<candidate_pair> lsh_candidates(std::span<const std::uint32_t> sigs, std::size_t n,
                                           std::uint32_t k, lsh_params p,
                                           const std::vector<bool>& skip, std::size_t max_bucket,
                                           unsigned threads) {
  COPYDESK_ASSERT(p.bands != 0 && std::uint64_t{p.bands} * p.rows <= k);
  struct entry {
    std::uint64_t key;
    std::uint32_t doc;
  };
  // Bands are independent: each fills its own pair list, merged (sorted, unique) at the end.
  std::vector<std::vector<std::uint64_t>> per_band(p.bands);
  detail::parallel_for(
      p.bands, threads,
      [&](std::size_t band) {
        std::vector<entry> entries;
        entries.reserve(n);
        for (std::size_t d = 0; d < n; ++d) {
          if (skip[d]) {
            continue;
          }
          entries.push_back({lsh_band_key(sigs.data() + d * k + band * p.rows, p.rows,
                                          static_cast<std::uint32_t>(band)),
                             static_cast<std::uint32_t>(d)});
        }
        std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
          return a.key != b.key ? a.key < b.key : a.doc < b.doc;
        });
        std::vector<std::uint64_t>& pairs = per_band[band];
        for (std::size_t i = 0; i < entries.size();) {
          std::size_t j = i + 1;
          while (j < entries.size() && entries[j].key == entries[i].key) {
            ++j;
          }
          if (j - i > max_bucket) {
            for (std::size_t x = i + 1; x < j; ++x) {
              pairs.push_back(detail::pack_pair(entries[i].doc, entries[x].doc));
            }
          } else {
            for (std::size_t x = i; x < j; ++x) {
              for (std::size_t y = x + 1; y < j; ++y) {
                pairs.push_back(detail::pack_pair(entries[x].doc, entries[y].doc));
              }
            }
          }
          i = j;
        }
      },
      1);
  std::vector<std::uint64_t> pairs;
  for (auto& b : per_band) {
    pairs.insert(pairs.end(), b.begin(), b.end());
  }
  return detail::sorted_unique_pairs(std::move(pairs));
}

} // namespace copydesk
