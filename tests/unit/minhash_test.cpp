// MinHash: exact identities, then seeded statistical checks on planted pairs with known Jaccard:
// the estimator must be unbiased and its error no worse than classic MinHash, √(J(1−J)/k).
#include <copydesk/minhash.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace copydesk;

namespace {

std::vector<std::uint32_t> sig(const std::vector<hash64>& s, std::uint32_t k = 128) {
  std::vector<std::uint32_t> out;
  minhash_signature(s, k, out);
  return out;
}

// Two sets of size n sharing m elements, fresh random 64-bit elements.
std::pair<std::vector<hash64>, std::vector<hash64>> planted(std::mt19937_64& rng, std::size_t n,
                                                            std::size_t m) {
  std::vector<hash64> a;
  std::vector<hash64> b;
  for (std::size_t i = 0; i < m; ++i) {
    const hash64 x = rng();
    a.push_back(x);
    b.push_back(x);
  }
  for (std::size_t i = m; i < n; ++i) {
    a.push_back(rng());
    b.push_back(rng());
  }
  return {a, b};
}

} // namespace

TEST(MinHash, IdenticalSetsScoreOne) {
  std::vector<hash64> s{11, 22, 33, 44, 55};
  EXPECT_DOUBLE_EQ(estimate_jaccard(sig(s), sig(s)).estimate, 1.0);
}

TEST(MinHash, DisjointLargeSetsScoreNearZero) {
  std::mt19937_64 rng(3);
  auto [a, b] = planted(rng, 2000, 0);
  EXPECT_LE(estimate_jaccard(sig(a), sig(b)).estimate, 0.03);
}

TEST(MinHash, EmptySetsScoreOneAndStayEmpty) {
  const auto e = sig({});
  for (auto v : e)
    EXPECT_EQ(v, empty_slot);
  EXPECT_DOUBLE_EQ(estimate_jaccard(e, e).estimate, 1.0);
}

TEST(MinHash, SingleElementFillsEveryBin) {
  const auto s = sig({0x123456789abcdefULL});
  for (auto v : s)
    EXPECT_NE(v, empty_slot);
  EXPECT_EQ(s, sig({0x123456789abcdefULL}));
  EXPECT_LE(estimate_jaccard(s, sig({0xfedcba987654321ULL})).estimate, 0.02);
}

TEST(MinHash, DuplicatesAndOrderDoNotMatter) {
  std::vector<hash64> a{5, 9, 1, 7, 1000, 77};
  std::vector<hash64> b{77, 1000, 7, 1, 9, 5, 5, 9};
  EXPECT_EQ(sig(a), sig(b));
}

TEST(MinHash, BoundsContainEstimate) {
  std::mt19937_64 rng(5);
  auto [a, b] = planted(rng, 500, 300);
  const similarity s = estimate_jaccard(sig(a), sig(b));
  EXPECT_LE(s.lower, s.estimate);
  EXPECT_GE(s.upper, s.estimate);
  EXPECT_GE(s.lower, 0.0);
  EXPECT_LE(s.upper, 1.0);
}

TEST(MinHash, ValidateRejectsBadSlotCount) {
  minhash_params p;
  p.num_perm = 0;
  EXPECT_EQ(p.validate().error().code, errc::invalid_argument);
  p.num_perm = 128;
  EXPECT_TRUE(p.validate());
}

// Statistical test. For each (set size n, Jaccard J): 400 planted pairs, seed 20251121.
// Unbiased: |mean error| <= 4·σ/√T where σ = √(J(1−J)/k) (a 4-sigma band: false alarm < 1e-4).
// Error no worse than classic MinHash: RMSE <= 1.10·σ (classic has RMSE = σ; the 10% margin
// covers the sampling error of an RMSE from 400 trials, whose relative SE is about 3.5%).
// Sizes go from below k (heavy densification) to far above it.
TEST(MinHashStatistics, UnbiasedWithErrorNoWorseThanClassic) {
  constexpr std::uint32_t k = 128;
  constexpr int trials = 400;
  std::mt19937_64 rng(20251121);
  for (const std::size_t n : {40, 128, 600, 3000}) {
    for (const double target : {0.1, 0.3, 0.5, 0.8, 0.95}) {
      const auto m = static_cast<std::size_t>(std::lround(2.0 * n * target / (1.0 + target)));
      const double j = static_cast<double>(m) / static_cast<double>(2 * n - m);
      double sum = 0.0;
      double sq = 0.0;
      for (int t = 0; t < trials; ++t) {
        auto [a, b] = planted(rng, n, m);
        const double e = estimate_jaccard(sig(a, k), sig(b, k)).estimate - j;
        sum += e;
        sq += e * e;
      }
      const double sigma = std::sqrt(j * (1.0 - j) / k);
      const double bias = sum / trials;
      const double rmse = std::sqrt(sq / trials);
      EXPECT_LE(std::abs(bias), 4.0 * sigma / std::sqrt(trials)) << "n=" << n << " J=" << j;
      EXPECT_LE(rmse, 1.10 * sigma) << "n=" << n << " J=" << j << " rmse=" << rmse;
      RecordProperty("n" + std::to_string(n) + "_J" + std::to_string(j) + "_rmse_over_sigma",
                     std::to_string(rmse / sigma));
    }
  }
}
