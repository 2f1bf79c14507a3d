// LSH: parameter choice, S-curve, candidate generation, and seeded recall on planted pairs.
#include <copydesk/lsh.hpp>
#include <copydesk/minhash.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace copydesk;

TEST(Lsh, ChosenParamsFitAndFavourRecall) {
  const lsh_params p = choose_lsh_params(0.8, 128);
  EXPECT_LE(p.bands * p.rows, 128u);
  EXPECT_EQ(p, (lsh_params{21, 6}));
  EXPECT_GE(lsh_candidate_probability(0.8, p), 0.998);
  EXPECT_LE(lsh_candidate_probability(0.3, p), 0.02);
}

TEST(Lsh, ChoiceFollowsThreshold) {
  const lsh_params lo = choose_lsh_params(0.5, 128);
  const lsh_params hi = choose_lsh_params(0.9, 128);
  EXPECT_LT(lo.rows, hi.rows);
  EXPECT_GE(lsh_candidate_probability(0.5, lo), 0.99);
  EXPECT_GE(lsh_candidate_probability(0.9, hi), 0.99);
}

TEST(Lsh, ProbabilityIsMonotone) {
  const lsh_params p{21, 6};
  double prev = -1;
  for (double s = 0.0; s <= 1.0; s += 0.05) {
    const double pr = lsh_candidate_probability(s, p);
    EXPECT_GE(pr, prev);
    prev = pr;
  }
  EXPECT_DOUBLE_EQ(lsh_candidate_probability(1.0, p), 1.0);
  EXPECT_DOUBLE_EQ(lsh_candidate_probability(0.0, p), 0.0);
}

TEST(Lsh, IdenticalSignaturesCollideAndSkippedOnesDoNot) {
  const std::uint32_t k = 12;
  std::vector<std::uint32_t> sigs(4 * k);
  for (std::uint32_t i = 0; i < k; ++i) {
    sigs[0 * k + i] = i;
    sigs[1 * k + i] = 100 + i;
    sigs[2 * k + i] = i; // same as doc 0
    sigs[3 * k + i] = i; // same as doc 0 but skipped
  }
  const auto pairs = lsh_candidates(sigs, 4, k, {3, 4}, {false, false, false, true});
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0], (candidate_pair{0, 2}));
}

TEST(Lsh, LargeBucketsBecomeStars) {
  const std::uint32_t k = 4;
  const std::size_t n = 10;
  std::vector<std::uint32_t> sigs(n * k, 7);
  const auto all = lsh_candidates(sigs, n, k, {1, 4}, std::vector<bool>(n), 256);
  EXPECT_EQ(all.size(), n * (n - 1) / 2);
  const auto star = lsh_candidates(sigs, n, k, {1, 4}, std::vector<bool>(n), 5);
  EXPECT_EQ(star.size(), n - 1);
  for (auto p : star)
    EXPECT_EQ(p.a, 0u);
}

// Seeded: 300 planted pairs at Jaccard 0.8..0.95 among 300 unrelated sets; recall must be
// >= 0.99 (the S-curve promises >= 0.998 at 0.8) and unrelated pairs must rarely collide.
TEST(LshStatistics, RecallOnPlantedNearDuplicates) {
  std::mt19937_64 rng(11);
  const std::uint32_t k = 128;
  const lsh_params p = choose_lsh_params(0.8, k);
  std::vector<std::uint32_t> sigs;
  std::vector<std::uint32_t> one;
  const std::size_t pairs = 300;
  for (std::size_t i = 0; i < pairs; ++i) {
    const std::size_t n = 200 + rng() % 600;
    const double j = 0.8 + 0.15 * static_cast<double>(rng() % 1000) / 1000.0;
    const auto m = static_cast<std::size_t>(std::ceil(2.0 * n * j / (1.0 + j)));
    std::vector<hash64> a;
    std::vector<hash64> b;
    for (std::size_t x = 0; x < m; ++x) {
      const hash64 h = rng();
      a.push_back(h);
      b.push_back(h);
    }
    for (std::size_t x = m; x < n; ++x) {
      a.push_back(rng());
      b.push_back(rng());
    }
    minhash_signature(a, k, one);
    sigs.insert(sigs.end(), one.begin(), one.end());
    minhash_signature(b, k, one);
    sigs.insert(sigs.end(), one.begin(), one.end());
  }
  const std::size_t n = 2 * pairs;
  const auto cand = lsh_candidates(sigs, n, k, p, std::vector<bool>(n));
  std::size_t found = 0;
  std::size_t spurious = 0;
  for (auto c : cand) {
    const auto a = static_cast<std::size_t>(c.a);
    const auto b = static_cast<std::size_t>(c.b);
    if (a % 2 == 0 && b == a + 1) {
      ++found;
    } else {
      ++spurious;
    }
  }
  EXPECT_GE(static_cast<double>(found) / pairs, 0.99);
  EXPECT_EQ(spurious, 0u);
}
