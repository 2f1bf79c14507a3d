// Average-link clustering over sparse scored pairs: hand-worked merges, the chain single link
// would make, ties, and independence from the order pairs are given in.
#include <copydesk/cluster.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace copydesk {
namespace {

using groups = std::vector<std::vector<std::uint32_t>>;

TEST(AverageLink, NoPairsGivesSingletons) {
  EXPECT_EQ(average_link(3, {}, 0.5), (groups{{0}, {1}, {2}}));
  EXPECT_TRUE(average_link(0, {}, 0.5).empty());
}

TEST(AverageLink, DoesNotChainLikeSingleLink) {
  // A path 0-1-2-3 with strong links only between neighbours. Single link (connected
  // components) would make one group. Average link: {0,1} at 0.9 (tie with 1-2 and 2-3, smallest
  // ids first); then {0,1}-2 = 0.9/2 = 0.45 < 2-3 = 0.9 -> {2,3}; then {0,1}-{2,3} = 0.9/4.
  const std::vector<scored_pair> pairs = {{0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}};
  EXPECT_EQ(average_link(4, pairs, 0.5), (groups{{0, 1}, {2, 3}}));
  EXPECT_EQ(average_link(4, pairs, 0.2), (groups{{0, 1, 2, 3}})); // 0.225 >= 0.2
}

TEST(AverageLink, MeanCountsMissingPairsAsZero) {
  // Triangle with one missing edge: {0,1} at 0.8, then 2 joins with mean (0.6 + 0) / 2 = 0.3.
  const std::vector<scored_pair> pairs = {{0, 1, 0.8}, {1, 2, 0.6}};
  EXPECT_EQ(average_link(3, pairs, 0.3), (groups{{0, 1, 2}}));
  EXPECT_EQ(average_link(3, pairs, 0.31), (groups{{0, 1}, {2}}));
}

TEST(AverageLink, HandWorkedFiveNodes) {
  // Two tight groups {0,2,4} and {1,3} with a weak cross link.
  const std::vector<scored_pair> pairs = {
      {0, 2, 0.7}, {0, 4, 0.5}, {2, 4, 0.6}, {1, 3, 0.8}, {3, 4, 0.35}};
  // 1-3 (0.8), 0-2 (0.7), {0,2}-4 = (0.5 + 0.6) / 2 = 0.55, then {0,2,4}-{1,3} = 0.35 / 6.
  EXPECT_EQ(average_link(5, pairs, 0.1), (groups{{0, 2, 4}, {1, 3}}));
  EXPECT_EQ(average_link(5, pairs, 0.05), (groups{{0, 1, 2, 3, 4}}));
  EXPECT_EQ(average_link(5, pairs, 0.56), (groups{{0, 2}, {1, 3}, {4}}));
}

TEST(AverageLink, ThresholdIsInclusive) {
  const std::vector<scored_pair> pairs = {{0, 1, 0.5}};
  EXPECT_EQ(average_link(2, pairs, 0.5), (groups{{0, 1}}));
}

TEST(AverageLink, OrderOfPairsDoesNotMatter) {
  std::mt19937 rng(11);
  std::vector<scored_pair> pairs;
  for (std::uint32_t a = 0; a < 60; ++a) {
    for (std::uint32_t b = a + 1; b < 60; ++b) {
      if (rng() % 7 == 0)
        pairs.push_back({a, b, static_cast<double>(rng() % 100) / 100.0});
    }
  }
  const groups want = average_link(60, pairs, 0.3);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(pairs.begin(), pairs.end(), rng);
    EXPECT_EQ(average_link(60, pairs, 0.3), want);
  }
}

} // namespace
} // namespace copydesk
