// Metrics: hand-computed values (arithmetic in the comments), the documented degenerate cases,
// and a second, brute-force O(N^2) computation on seeded random labelings and scores.
#include <copydesk/metrics.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <vector>

using namespace copydesk;

namespace {

constexpr double eps = 1e-12;

using labels = std::vector<std::uint32_t>;

clustering_scores score(const labels& p, const labels& g) { return score_clustering(p, g); }

void expect_prf(const prf& s, double p, double r, double f) {
  EXPECT_NEAR(s.precision, p, eps);
  EXPECT_NEAR(s.recall, r, eps);
  EXPECT_NEAR(s.f1, f, eps);
}

} // namespace

// Items a b c d e f. Predicted {a,b,c} {d,e} {f}; gold {a,b} {c,d,e} {f}.
// Contingency cells: (P0,G0)=2 {a,b}, (P0,G1)=1 {c}, (P1,G1)=2 {d,e}, (P2,G2)=1 {f}.
TEST(Metrics, HandComputedClustering) {
  const labels p{0, 0, 0, 1, 1, 2};
  const labels g{0, 0, 1, 1, 1, 2};
  const clustering_scores s = score(p, g);
  EXPECT_EQ(s.items, 6u);
  EXPECT_EQ(s.predicted_clusters, 3u);
  EXPECT_EQ(s.gold_clusters, 3u);
  // Pairs: total C(6,2) = 15; together in both C(2,2)+C(2,2) = 2; predicted C(3,2)+C(2,2) = 4;
  // gold C(2,2)+C(3,2) = 4. Pairwise P = 2/4, R = 2/4, F1 = 0.5.
  EXPECT_EQ(s.pairs.total, 15u);
  EXPECT_EQ(s.pairs.same_both, 2u);
  EXPECT_EQ(s.pairs.same_predicted, 4u);
  EXPECT_EQ(s.pairs.same_gold, 4u);
  expect_prf(s.pairwise, 0.5, 0.5, 0.5);
  // B-cubed precision per item: a 2/3, b 2/3, c 1/3, d 2/2, e 2/2, f 1/1 -> (14/3)/6 = 7/9.
  // Recall per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3, f 1/1 -> (14/3)/6 = 7/9. F1 = 7/9.
  expect_prf(s.bcubed, 7.0 / 9.0, 7.0 / 9.0, 7.0 / 9.0);
  // ARI: tp 2, fp 2, fn 2, tn 15-6 = 9. Expected index 4*4/15 = 16/15, max (4+4)/2 = 4:
  // (2 - 16/15) / (4 - 16/15) = (14/15) / (44/15) = 7/22.
  EXPECT_NEAR(s.ari, 7.0 / 22.0, eps);
  // NMI: H(P) = H(G) = -(1/2 ln 1/2 + 1/3 ln 1/3 + 1/6 ln 1/6) = 2/3 ln 2 + 1/2 ln 3.
  // I = 1/3 ln(6*2/(3*2)) + 1/6 ln(6/(3*3)) + 1/3 ln(6*2/(2*3)) + 1/6 ln(6/1)
  //   = 2/3 ln 2 + 1/6 (ln 2 - ln 3) + 1/6 (ln 2 + ln 3) = ln 2.
  // Arithmetic mean normalisation: ln 2 / (2/3 ln 2 + 1/2 ln 3) = 0.685331...
  const double h = 2.0 / 3.0 * std::log(2.0) + 0.5 * std::log(3.0);
  EXPECT_NEAR(s.nmi, std::log(2.0) / h, eps);
  EXPECT_NEAR(s.nmi, 0.685331, 1e-6);
}

// Label values are arbitrary: renaming clusters changes nothing, and the metrics are
// symmetric where they should be (ARI, NMI) and swap P/R where they should (pairwise, B-cubed).
TEST(Metrics, LabelNamesDoNotMatterAndSwappingSwapsPrecisionAndRecall) {
  const labels p{7, 7, 7, 42, 42, 3};
  const labels g{1000, 1000, 5, 5, 5, 0};
  const clustering_scores a = score(p, g);
  const clustering_scores b = score(labels{0, 0, 0, 1, 1, 2}, labels{0, 0, 1, 1, 1, 2});
  EXPECT_DOUBLE_EQ(a.ari, b.ari);
  EXPECT_DOUBLE_EQ(a.nmi, b.nmi);
  // Predicted {a,b,c,d} {e,f}; gold {a,b} {c,d,e,f}: pairwise P = 2/(6+1) is gold R swapped.
  const labels p2{0, 0, 0, 0, 1, 1};
  const labels g2{0, 0, 1, 1, 1, 1};
  const clustering_scores x = score(p2, g2);
  const clustering_scores y = score(g2, p2);
  EXPECT_DOUBLE_EQ(x.pairwise.precision, y.pairwise.recall);
  EXPECT_DOUBLE_EQ(x.bcubed.precision, y.bcubed.recall);
  EXPECT_DOUBLE_EQ(x.ari, y.ari);
  EXPECT_NEAR(x.nmi, y.nmi, eps);
  // Together in both: {a,b} 1 + {c,d} 1 + {e,f} 1 = 3; predicted C(4,2)+C(2,2) = 7; gold 1+6 = 7.
  expect_prf(x.pairwise, 3.0 / 7.0, 3.0 / 7.0, 3.0 / 7.0);
}

TEST(Metrics, PerfectAgreement) {
  const labels p{0, 0, 1, 1, 1, 2};
  const clustering_scores s = score(p, labels{5, 5, 9, 9, 9, 1});
  expect_prf(s.pairwise, 1, 1, 1);
  expect_prf(s.bcubed, 1, 1, 1);
  EXPECT_NEAR(s.ari, 1.0, eps);
  EXPECT_NEAR(s.nmi, 1.0, eps);
}

TEST(Metrics, BothOneCluster) {
  const clustering_scores s = score(labels{3, 3, 3, 3}, labels{8, 8, 8, 8});
  expect_prf(s.pairwise, 1, 1, 1);
  expect_prf(s.bcubed, 1, 1, 1);
  EXPECT_EQ(s.ari, 1.0); // ARI's 0/0 case: identical trivial partitions
  EXPECT_EQ(s.nmi, 1.0); // both entropies 0: defined as a perfect match
}

TEST(Metrics, BothAllSingletons) {
  const clustering_scores s = score(labels{0, 1, 2, 3}, labels{3, 2, 1, 0});
  // No pair anywhere: precision 1 (nothing predicted), recall 1 (nothing to find).
  expect_prf(s.pairwise, 1, 1, 1);
  expect_prf(s.bcubed, 1, 1, 1);
  EXPECT_EQ(s.ari, 1.0);
  // H = ln 4 on both sides and I = ln 4.
  EXPECT_NEAR(s.nmi, 1.0, eps);
}

TEST(Metrics, OneClusterAgainstAllSingletons) {
  // Predicted one cluster of 4, gold all singletons.
  const clustering_scores s = score(labels{0, 0, 0, 0}, labels{0, 1, 2, 3});
  // Pairwise: 6 predicted pairs, none right: P = 0/6; nothing to find: R = 1; F1 = 0.
  expect_prf(s.pairwise, 0, 1, 0);
  // B-cubed: each item's cluster holds 1 right item of 4: P = 1/4, R = 1, F1 = 2*0.25/1.25 = 0.4.
  expect_prf(s.bcubed, 0.25, 1, 0.4);
  // ARI: tp 0, fp 6, fn 0, tn 0 -> 2(0*0 - 0*6) / (0*0 + 6*6) = 0.
  EXPECT_NEAR(s.ari, 0.0, eps);
  // NMI: I = 0, H(P) = 0, H(G) = ln 4 -> 0.
  EXPECT_NEAR(s.nmi, 0.0, eps);

  // The other way round: all singletons predicted, gold one cluster.
  const clustering_scores t = score(labels{0, 1, 2, 3}, labels{0, 0, 0, 0});
  expect_prf(t.pairwise, 1, 0, 0);
  expect_prf(t.bcubed, 1, 0.25, 0.4);
  EXPECT_NEAR(t.ari, 0.0, eps);
  EXPECT_NEAR(t.nmi, 0.0, eps);
}

TEST(Metrics, SingleItem) {
  const clustering_scores s = score(labels{4}, labels{9});
  EXPECT_EQ(s.pairs.total, 0u);
  expect_prf(s.pairwise, 1, 1, 1);
  expect_prf(s.bcubed, 1, 1, 1);
  EXPECT_EQ(s.ari, 1.0);
  EXPECT_EQ(s.nmi, 1.0);
}

TEST(Metrics, EmptyInputIsUndefined) {
  const clustering_scores s = score(labels{}, labels{});
  EXPECT_EQ(s.items, 0u);
  EXPECT_TRUE(std::isnan(s.pairwise.precision));
  EXPECT_TRUE(std::isnan(s.pairwise.f1));
  EXPECT_TRUE(std::isnan(s.bcubed.recall));
  EXPECT_TRUE(std::isnan(s.ari));
  EXPECT_TRUE(std::isnan(s.nmi));
}

TEST(Metrics, AriCanBeNegative) {
  // Predicted {a,b} {c,d}; gold {a,c} {b,d}: tp 0, fp 2, fn 2, tn 2.
  // 2(0*2 - 2*2) / ((0+2)(2+2) + (0+2)(2+2)) = -8/16 = -0.5.
  EXPECT_NEAR(score(labels{0, 0, 1, 1}, labels{0, 1, 0, 1}).ari, -0.5, eps);
}

TEST(Metrics, MakePrfConventions) {
  expect_prf(make_prf(0, 0, 0), 1, 1, 1);
  expect_prf(make_prf(0, 0, 5), 1, 0, 0);
  expect_prf(make_prf(0, 5, 0), 0, 1, 0);
  expect_prf(make_prf(0, 3, 4), 0, 0, 0);
  // 3/4 and 3/6: F1 = 2 * 0.75 * 0.5 / 1.25 = 0.6.
  expect_prf(make_prf(3, 4, 6), 0.75, 0.5, 0.6);
}

TEST(Metrics, DecisionCounts) {
  const std::vector<std::uint8_t> pred{1, 1, 1, 0, 0, 0};
  const std::vector<std::uint8_t> gold{1, 1, 0, 1, 0, 0};
  const confusion c = count_decisions(pred, gold);
  EXPECT_EQ(c.tp, 2u);
  EXPECT_EQ(c.fp, 1u);
  EXPECT_EQ(c.fn, 1u);
  EXPECT_EQ(c.tn, 2u);
  // P = 2/3, R = 2/3, F1 = 2/3.
  expect_prf(decision_scores(c), 2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0);
}

TEST(Metrics, AverageRanks) {
  const std::vector<double> v{0.5, 0.2, 0.5, 0.9, 0.5};
  // Sorted: 0.2 (rank 1), three 0.5 at ranks 2,3,4 -> 3 each, 0.9 rank 5.
  EXPECT_EQ(average_ranks(v), (std::vector<double>{3, 1, 3, 5, 3}));
  EXPECT_TRUE(average_ranks(std::vector<double>{}).empty());
}

TEST(Metrics, RocAucHandComputed) {
  // Positives score 0.9, 0.8, 0.6; negatives 0.7, 0.55, 0.4. Positive-above-negative pairs:
  // 0.9 beats 3, 0.8 beats 3, 0.6 beats 2 (0.55, 0.4) -> 8 of 3*3 = 9.
  const std::vector<double> s{0.9, 0.8, 0.7, 0.6, 0.55, 0.4};
  const std::vector<std::uint8_t> g{1, 1, 0, 1, 0, 0};
  EXPECT_NEAR(roc_auc(s, g), 8.0 / 9.0, eps);
}

TEST(Metrics, RocAucTies) {
  // Positives 0.8, 0.5; negatives 0.5, 0.2: 0.8 beats both (2), 0.5 ties 0.5 (1/2) and beats
  // 0.2 (1) -> 3.5 / 4. Via ranks: 0.2 -> 1, 0.5 0.5 -> 2.5, 0.8 -> 4; U = (4 + 2.5) - 3 = 3.5.
  EXPECT_NEAR(
      roc_auc(std::vector<double>{0.8, 0.5, 0.5, 0.2}, std::vector<std::uint8_t>{1, 1, 0, 0}),
      0.875, eps);
  // All scores tied: every positive-negative pair is a tie -> 0.5.
  EXPECT_NEAR(
      roc_auc(std::vector<double>{0.3, 0.3, 0.3, 0.3}, std::vector<std::uint8_t>{1, 0, 1, 0}), 0.5,
      eps);
  // Perfectly inverted scores -> 0.
  EXPECT_NEAR(
      roc_auc(std::vector<double>{0.1, 0.2, 0.8, 0.9}, std::vector<std::uint8_t>{1, 1, 0, 0}), 0.0,
      eps);
}

TEST(Metrics, RocAucOneClassIsUndefined) {
  EXPECT_TRUE(std::isnan(roc_auc(std::vector<double>{0.1, 0.9}, std::vector<std::uint8_t>{1, 1})));
  EXPECT_TRUE(std::isnan(roc_auc(std::vector<double>{0.1, 0.9}, std::vector<std::uint8_t>{0, 0})));
  EXPECT_TRUE(std::isnan(roc_auc(std::vector<double>{}, std::vector<std::uint8_t>{})));
}

TEST(Metrics, SpearmanHandComputed) {
  // y ranks: 5 -> 1, 6 -> 2, 7 7 -> 3.5 3.5, 8 -> 5. Deviations from the mean rank 3:
  // x: -2 -1 0 1 2; y: -2 -1 0.5 2 0.5. Sxy = 4+1+0+2+1 = 8, Sxx = 10, Syy = 4+1+0.25+4+0.25 = 9.5.
  // rho = 8 / sqrt(10 * 9.5) = 8 / sqrt(95) = 0.820783...
  const std::vector<double> x{1, 2, 3, 4, 5};
  const std::vector<double> y{5, 6, 7, 8, 7};
  EXPECT_NEAR(spearman(x, y), 8.0 / std::sqrt(95.0), eps);
  EXPECT_NEAR(spearman(x, std::vector<double>{10, 20, 30, 40, 50}), 1.0, eps);
  EXPECT_NEAR(spearman(x, std::vector<double>{0.9, 0.7, 0.5, 0.3, 0.1}), -1.0, eps);
}

TEST(Metrics, SpearmanDegenerate) {
  // A constant side has no rank variance: undefined.
  EXPECT_TRUE(std::isnan(spearman(std::vector<double>{1, 2, 3}, std::vector<double>{4, 4, 4})));
  EXPECT_TRUE(std::isnan(spearman(std::vector<double>{1}, std::vector<double>{2})));
  EXPECT_TRUE(std::isnan(spearman(std::vector<double>{}, std::vector<double>{})));
}

TEST(Metrics, SweepHandComputed) {
  const std::vector<double> s{0.9, 0.8, 0.7, 0.6, 0.55, 0.4};
  const std::vector<std::uint8_t> g{1, 1, 0, 1, 0, 0};
  const std::vector<double> th{0.0, 0.6, 0.75, 1.0};
  const auto pts = sweep_thresholds(s, g, th);
  ASSERT_EQ(pts.size(), 4u);
  // t = 0: everything positive: tp 3, fp 3 -> P 1/2, R 1, F1 2/3.
  EXPECT_EQ(pts[0].counts.tp, 3u);
  EXPECT_EQ(pts[0].counts.fp, 3u);
  expect_prf(pts[0].scores, 0.5, 1.0, 2.0 / 3.0);
  // t = 0.6 (inclusive): 0.9 0.8 0.7 0.6 -> tp 3, fp 1 -> P 3/4, R 1, F1 6/7.
  EXPECT_EQ(pts[1].counts.fp, 1u);
  expect_prf(pts[1].scores, 0.75, 1.0, 6.0 / 7.0);
  // t = 0.75: 0.9 0.8 -> tp 2, fp 0, fn 1 -> P 1, R 2/3, F1 0.8.
  EXPECT_EQ(pts[2].counts.fn, 1u);
  EXPECT_EQ(pts[2].counts.tn, 3u);
  expect_prf(pts[2].scores, 1.0, 2.0 / 3.0, 0.8);
  // t = 1: nothing predicted -> P 1 by convention, R 0, F1 0.
  expect_prf(pts[3].scores, 1.0, 0.0, 0.0);
}

TEST(Metrics, ParseSweep) {
  const auto a = parse_sweep("0.1:0.9:0.1");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 9u);
  EXPECT_EQ((*a)[2], 0.3); // rounded to 9 decimals: exactly the double nearest 0.3
  EXPECT_EQ(a->back(), 0.9);
  const auto b = parse_sweep("0:1:0.25");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  const auto one = parse_sweep("0.5:0.5:0.1");
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, (std::vector<double>{0.5}));
  for (const char* bad : {"1:0:0.1", "0:1:0", "0:1:-0.1", "a:b:c", "0:1", "0:2:0.1", "0:1:0.1:2",
                          "-0.1:1:0.1", "0:1:0.00001", ""}) {
    const auto r = parse_sweep(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, errc::invalid_argument);
    }
  }
}

TEST(Metrics, GradesAndBuckets) {
  EXPECT_EQ(parse_grade_name("none"), borrow_grade::none);
  EXPECT_EQ(parse_grade_name("Non"), borrow_grade::none);
  EXPECT_EQ(parse_grade_name("independent"), borrow_grade::none);
  EXPECT_EQ(parse_grade_name("HEAVY"), borrow_grade::heavy);
  EXPECT_EQ(parse_grade_name("light"), borrow_grade::light);
  EXPECT_EQ(parse_grade_name("cut"), borrow_grade::cut);
  EXPECT_EQ(parse_grade_name("verbatim"), borrow_grade::cut);
  EXPECT_FALSE(parse_grade_name("2"));
  EXPECT_FALSE(parse_grade_name("medium"));

  const grade_buckets b; // none < 0.05 <= heavy < 0.3 <= light < 0.7 <= cut
  EXPECT_EQ(bucket_of(0.0, b), borrow_grade::none);
  EXPECT_EQ(bucket_of(0.0499, b), borrow_grade::none);
  EXPECT_EQ(bucket_of(0.05, b), borrow_grade::heavy);
  EXPECT_EQ(bucket_of(0.2999, b), borrow_grade::heavy);
  EXPECT_EQ(bucket_of(0.3, b), borrow_grade::light);
  EXPECT_EQ(bucket_of(0.7, b), borrow_grade::cut);
  EXPECT_EQ(bucket_of(1.0, b), borrow_grade::cut);

  const auto p = parse_buckets("0.1,0.4,0.8");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->heavy, 0.1);
  EXPECT_EQ(p->cut, 0.8);
  EXPECT_FALSE(parse_buckets("0.4,0.1,0.8"));
  EXPECT_FALSE(parse_buckets("0,0.1,0.8"));
  EXPECT_FALSE(parse_buckets("0.1,0.4"));
  EXPECT_FALSE(parse_buckets("0.1,0.4,1.5"));
}

// --- A second computation: brute force over all pairs / items on seeded random data. ---------

namespace {

struct brute_scores {
  prf pairwise;
  prf bcubed;
  double ari = 0.0;
  double nmi = 0.0;
};

/// Everything by definition: O(N^2) pair enumeration, per-item B-cubed, ARI from the Rand-index
/// expectation form, NMI from joint and marginal frequency maps.
brute_scores brute_force(const labels& p, const labels& g) {
  const std::size_t n = p.size();
  std::uint64_t both = 0, pred = 0, gold = 0;
  double bp = 0.0, br = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double in_c = 0, in_g = 0, in_both = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const bool sp = p[i] == p[j];
      const bool sg = g[i] == g[j];
      in_c += sp;
      in_g += sg;
      in_both += sp && sg;
      if (j > i) {
        pred += sp;
        gold += sg;
        both += sp && sg;
      }
    }
    bp += in_both / in_c;
    br += in_both / in_g;
  }
  brute_scores s;
  s.pairwise.precision = pred == 0 ? 1.0 : double(both) / double(pred);
  s.pairwise.recall = gold == 0 ? 1.0 : double(both) / double(gold);
  const auto f = [](double a, double b) { return a + b > 0 ? 2 * a * b / (a + b) : 0.0; };
  s.pairwise.f1 = f(s.pairwise.precision, s.pairwise.recall);
  s.bcubed.precision = bp / double(n);
  s.bcubed.recall = br / double(n);
  s.bcubed.f1 = f(s.bcubed.precision, s.bcubed.recall);
  const double total = double(n) * double(n - 1) / 2.0;
  const double expected = total == 0 ? 0 : double(pred) * double(gold) / total;
  const double max_index = (double(pred) + double(gold)) / 2.0;
  s.ari = max_index == expected ? 1.0 : (double(both) - expected) / (max_index - expected);

  std::map<std::uint32_t, double> fp, fg;
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> fj;
  for (std::size_t i = 0; i < n; ++i) {
    fp[p[i]] += 1.0 / double(n);
    fg[g[i]] += 1.0 / double(n);
    fj[{p[i], g[i]}] += 1.0 / double(n);
  }
  double hp = 0, hg = 0, mi = 0;
  for (const auto& [k, q] : fp)
    hp -= q * std::log(q);
  for (const auto& [k, q] : fg)
    hg -= q * std::log(q);
  for (const auto& [k, q] : fj)
    mi += q * std::log(q / (fp[k.first] * fg[k.second]));
  s.nmi = (fp.size() == 1 && fg.size() == 1) ? 1.0 : mi / ((hp + hg) / 2.0);
  return s;
}

} // namespace

TEST(Metrics, ClusteringMatchesBruteForceOnRandomLabelings) {
  std::mt19937_64 rng(20250917);
  int cases = 0;
  for (const std::size_t n : {1u, 2u, 3u, 7u, 40u, 250u}) {
    for (const std::uint32_t k : {1u, 2u, 5u, 30u, 1000u}) {
      for (int rep = 0; rep < 4; ++rep) {
        std::uniform_int_distribution<std::uint32_t> lp(0, k - 1);
        // Gold: from a different number of classes, and half of the time a noisy copy of p.
        std::uniform_int_distribution<std::uint32_t> lg(0, (k + 2) / 2);
        labels p(n), g(n);
        for (std::size_t i = 0; i < n; ++i) {
          p[i] = lp(rng);
          g[i] = (rep % 2 == 0 && rng() % 4 != 0) ? p[i] * 3 + 1 : lg(rng);
        }
        const clustering_scores fast = score(p, g);
        const brute_scores slow = brute_force(p, g);
        SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k) +
                     " rep=" + std::to_string(rep));
        EXPECT_NEAR(fast.pairwise.precision, slow.pairwise.precision, 1e-12);
        EXPECT_NEAR(fast.pairwise.recall, slow.pairwise.recall, 1e-12);
        EXPECT_NEAR(fast.pairwise.f1, slow.pairwise.f1, 1e-12);
        EXPECT_NEAR(fast.bcubed.precision, slow.bcubed.precision, 1e-12);
        EXPECT_NEAR(fast.bcubed.recall, slow.bcubed.recall, 1e-12);
        EXPECT_NEAR(fast.bcubed.f1, slow.bcubed.f1, 1e-12);
        EXPECT_NEAR(fast.ari, slow.ari, 1e-9);
        EXPECT_NEAR(fast.nmi, slow.nmi, 1e-9);
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 120);
}

TEST(Metrics, AucSpearmanAndSweepMatchBruteForce) {
  std::mt19937_64 rng(77);
  for (const std::size_t n : {2u, 5u, 60u, 400u}) {
    for (const int levels : {3, 50, 100000}) { // few levels -> many ties
      std::vector<double> s(n), y(n);
      std::vector<std::uint8_t> g(n);
      for (std::size_t i = 0; i < n; ++i) {
        s[i] = double(rng() % levels) / double(levels);
        y[i] = double(rng() % 4);
        g[i] = (rng() % 3 == 0) ? 1 : 0;
      }
      g[0] = 1;
      g[n - 1] = 0; // both classes present
      // AUC: every positive-negative pair, ties count 1/2.
      double wins = 0, pairs = 0;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          if (g[i] == 0 || g[j] != 0)
            continue;
          pairs += 1;
          wins += s[i] > s[j] ? 1.0 : (s[i] == s[j] ? 0.5 : 0.0);
        }
      }
      EXPECT_NEAR(roc_auc(s, g), wins / pairs, 1e-12);
      // Spearman: naive average ranks (1 + smaller + (equal - 1)/2), then Pearson.
      const auto naive_ranks = [&](const std::vector<double>& v) {
        std::vector<double> r(n);
        for (std::size_t i = 0; i < n; ++i) {
          double less = 0, equal = 0;
          for (std::size_t j = 0; j < n; ++j) {
            less += v[j] < v[i];
            equal += v[j] == v[i];
          }
          r[i] = 1 + less + (equal - 1) / 2;
        }
        return r;
      };
      const auto rs = naive_ranks(s), ry = naive_ranks(y);
      double ms = 0, my = 0;
      for (std::size_t i = 0; i < n; ++i)
        ms += rs[i] / double(n), my += ry[i] / double(n);
      double sxy = 0, sxx = 0, syy = 0;
      for (std::size_t i = 0; i < n; ++i) {
        sxy += (rs[i] - ms) * (ry[i] - my);
        sxx += (rs[i] - ms) * (rs[i] - ms);
        syy += (ry[i] - my) * (ry[i] - my);
      }
      const double rho = spearman(s, y);
      if (sxx == 0 || syy == 0) {
        EXPECT_TRUE(std::isnan(rho));
      } else {
        EXPECT_NEAR(rho, sxy / std::sqrt(sxx * syy), 1e-9);
      }
      // Sweep: every threshold against explicit decisions.
      const auto th = parse_sweep("0:1:0.05");
      ASSERT_TRUE(th);
      const auto pts = sweep_thresholds(s, g, *th);
      for (const auto& pt : pts) {
        std::vector<std::uint8_t> d(n);
        for (std::size_t i = 0; i < n; ++i)
          d[i] = s[i] >= pt.threshold ? 1 : 0;
        const confusion c = count_decisions(d, g);
        EXPECT_EQ(pt.counts.tp, c.tp);
        EXPECT_EQ(pt.counts.fp, c.fp);
        EXPECT_EQ(pt.counts.fn, c.fn);
        EXPECT_EQ(pt.counts.tn, c.tn);
      }
    }
  }
}

TEST(Metrics, SpearmanWithoutTiesMatchesRankDifferenceFormula) {
  // rho = 1 - 6 sum d^2 / (n (n^2 - 1)) holds when there are no ties.
  std::mt19937_64 rng(5);
  std::vector<double> x(50), y(50);
  for (std::size_t i = 0; i < 50; ++i) {
    x[i] = double(i) + 0.5;
    y[i] = double(rng() % 1000000) + double(i) * 1e-7; // distinct
  }
  const auto rx = average_ranks(x), ry = average_ranks(y);
  double d2 = 0;
  for (std::size_t i = 0; i < 50; ++i)
    d2 += (rx[i] - ry[i]) * (rx[i] - ry[i]);
  EXPECT_NEAR(spearman(x, y), 1.0 - 6.0 * d2 / (50.0 * (2500.0 - 1.0)), 1e-12);
}
