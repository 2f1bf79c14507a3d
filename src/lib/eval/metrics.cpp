// Pure evaluation metrics: labelings -> contingency table -> pairwise / B-cubed / ARI / NMI;
// scores + binary truth -> confusion counts, ROC AUC, threshold sweeps; ranks -> Spearman.
// Nothing here enumerates item pairs: every pair count comes from cluster sizes.
#include "eval/eval_detail.hpp"

#include <copydesk/metrics.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>

namespace copydesk {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// x(x-1)/2 without overflowing for any x < 2^32.
constexpr std::uint64_t choose2(std::uint64_t x) noexcept {
  if (x < 2)
    return 0;
  return (x % 2 == 0) ? (x / 2) * (x - 1) : x * ((x - 1) / 2);
}

double harmonic(double p, double r) noexcept { return p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0; }

/// Renumbers labels densely (by value); fills the size of each dense label.
std::vector<std::uint32_t> densify(std::span<const std::uint32_t> labels,
                                   std::vector<std::uint64_t>& sizes) {
  std::vector<std::uint32_t> values(labels.begin(), labels.end());
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  sizes.assign(values.size(), 0);
  std::vector<std::uint32_t> dense(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto at = std::lower_bound(values.begin(), values.end(), labels[i]);
    dense[i] = static_cast<std::uint32_t>(at - values.begin());
    ++sizes[dense[i]];
  }
  return dense;
}

// NaN sorts first and equals NaN, so sorting stays a strict weak order on any input.
bool rank_less(double a, double b) noexcept {
  if (std::isnan(a))
    return !std::isnan(b);
  if (std::isnan(b))
    return false;
  return a < b;
}
bool rank_equal(double a, double b) noexcept { return (std::isnan(a) && std::isnan(b)) || a == b; }

} // namespace

prf make_prf(std::uint64_t hits, std::uint64_t predicted, std::uint64_t actual) noexcept {
  COPYDESK_ASSERT(hits <= predicted && hits <= actual);
  prf r;
  r.precision = predicted == 0 ? 1.0 : static_cast<double>(hits) / static_cast<double>(predicted);
  r.recall = actual == 0 ? 1.0 : static_cast<double>(hits) / static_cast<double>(actual);
  r.f1 = harmonic(r.precision, r.recall);
  return r;
}

contingency make_contingency(std::span<const std::uint32_t> predicted,
                             std::span<const std::uint32_t> gold) {
  COPYDESK_ASSERT(predicted.size() == gold.size());
  const std::size_t n = std::min(predicted.size(), gold.size());
  contingency t;
  t.items = n;
  const auto p = densify(predicted.first(n), t.predicted_sizes);
  const auto g = densify(gold.first(n), t.gold_sizes);
  std::vector<std::uint64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i)
    keys[i] = (std::uint64_t{p[i]} << 32) | g[i];
  std::sort(keys.begin(), keys.end());
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && keys[j] == keys[i])
      ++j;
    t.cells.push_back({static_cast<std::uint32_t>(keys[i] >> 32),
                       static_cast<std::uint32_t>(keys[i] & 0xffffffffU), j - i});
    i = j;
  }
  return t;
}

pair_counts count_pairs(const contingency& t) noexcept {
  pair_counts c;
  c.total = choose2(t.items);
  for (const auto& cell : t.cells)
    c.same_both += choose2(cell.count);
  for (const auto s : t.predicted_sizes)
    c.same_predicted += choose2(s);
  for (const auto s : t.gold_sizes)
    c.same_gold += choose2(s);
  return c;
}

prf pairwise_scores(const contingency& t) noexcept {
  if (t.items == 0)
    return {nan, nan, nan};
  const pair_counts c = count_pairs(t);
  return make_prf(c.same_both, c.same_predicted, c.same_gold);
}

prf bcubed_scores(const contingency& t) noexcept {
  if (t.items == 0)
    return {nan, nan, nan};
  // Each of the n_ij items of a cell has |C ∩ G| = n_ij, so the cell adds n_ij * n_ij / |C|.
  double p = 0.0;
  double r = 0.0;
  for (const auto& cell : t.cells) {
    const auto sq = static_cast<double>(cell.count) * static_cast<double>(cell.count);
    p += sq / static_cast<double>(t.predicted_sizes[cell.predicted]);
    r += sq / static_cast<double>(t.gold_sizes[cell.gold]);
  }
  const auto n = static_cast<double>(t.items);
  prf s;
  s.precision = std::min(1.0, p / n);
  s.recall = std::min(1.0, r / n);
  s.f1 = harmonic(s.precision, s.recall);
  return s;
}

double adjusted_rand_index(const contingency& t) noexcept {
  if (t.items == 0)
    return nan;
  const pair_counts c = count_pairs(t);
  // Pair confusion: tp together in both, fp only predicted, fn only gold, tn apart in both.
  const auto tp = static_cast<long double>(c.same_both);
  const auto fp = static_cast<long double>(c.same_predicted - c.same_both);
  const auto fn = static_cast<long double>(c.same_gold - c.same_both);
  const auto tn = static_cast<long double>(c.total) - tp - fp - fn;
  // No disagreeing pair at all: identical partitions (including N = 1, both all singletons,
  // both one cluster, where the usual formula is 0/0).
  if (fp == 0 && fn == 0)
    return 1.0;
  // (index - expected) / (max - expected) rewritten on the pair confusion (Hubert & Arabie
  // 1985); the denominator is non-zero whenever fp + fn > 0.
  const long double num = 2.0L * (tp * tn - fn * fp);
  const long double den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return static_cast<double>(num / den);
}

double normalized_mutual_information(const contingency& t) noexcept {
  if (t.items == 0)
    return nan;
  // Zero entropy on both sides (one cluster each): the same partition, a perfect match.
  if (t.predicted_sizes.size() == 1 && t.gold_sizes.size() == 1)
    return 1.0;
  const auto n = static_cast<double>(t.items);
  const auto entropy = [n](const std::vector<std::uint64_t>& sizes) {
    double h = 0.0;
    for (const auto s : sizes) {
      const double q = static_cast<double>(s) / n;
      h -= q * std::log(q);
    }
    return h;
  };
  const double hp = entropy(t.predicted_sizes);
  const double hg = entropy(t.gold_sizes);
  double mi = 0.0;
  for (const auto& cell : t.cells) {
    const auto nij = static_cast<double>(cell.count);
    const auto a = static_cast<double>(t.predicted_sizes[cell.predicted]);
    const auto b = static_cast<double>(t.gold_sizes[cell.gold]);
    mi += (nij / n) * std::log(n * nij / (a * b));
  }
  const double denom = (hp + hg) / 2.0;
  if (denom <= 0.0)
    return 1.0;
  // Rounding can push I a hair below 0 or above the mean entropy.
  return std::clamp(mi / denom, 0.0, 1.0);
}

clustering_scores score_clustering(std::span<const std::uint32_t> predicted,
                                   std::span<const std::uint32_t> gold) {
  const contingency t = make_contingency(predicted, gold);
  clustering_scores s;
  s.items = t.items;
  s.predicted_clusters = t.predicted_sizes.size();
  s.gold_clusters = t.gold_sizes.size();
  s.pairs = count_pairs(t);
  s.pairwise = pairwise_scores(t);
  s.bcubed = bcubed_scores(t);
  s.ari = adjusted_rand_index(t);
  s.nmi = normalized_mutual_information(t);
  return s;
}

confusion count_decisions(std::span<const std::uint8_t> predicted,
                          std::span<const std::uint8_t> gold) noexcept {
  COPYDESK_ASSERT(predicted.size() == gold.size());
  confusion c;
  const std::size_t n = std::min(predicted.size(), gold.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool p = predicted[i] != 0;
    const bool g = gold[i] != 0;
    if (p && g)
      ++c.tp;
    else if (p)
      ++c.fp;
    else if (g)
      ++c.fn;
    else
      ++c.tn;
  }
  return c;
}

prf decision_scores(const confusion& c) noexcept {
  return make_prf(c.tp, c.tp + c.fp, c.tp + c.fn);
}

std::vector<double> average_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank_less(values[a], values[b]); });
  std::vector<double> ranks(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && rank_equal(values[order[j]], values[order[i]]))
      ++j;
    // Positions i..j-1 hold ranks i+1..j; each gets their mean.
    const double r = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k)
      ranks[order[k]] = r;
    i = j;
  }
  return ranks;
}

double roc_auc(std::span<const double> scores, std::span<const std::uint8_t> gold) {
  COPYDESK_ASSERT(scores.size() == gold.size());
  const std::size_t n = std::min(scores.size(), gold.size());
  const std::vector<double> ranks = average_ranks(scores.first(n));
  double pos = 0.0;
  double rank_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (gold[i] == 0)
      continue;
    pos += 1.0;
    rank_sum += ranks[i];
  }
  const double neg = static_cast<double>(n) - pos;
  if (pos == 0.0 || neg == 0.0)
    return nan;
  // Mann-Whitney U of the positives: rank sum minus its minimum pos(pos+1)/2.
  const double u = rank_sum - pos * (pos + 1.0) / 2.0;
  return u / (pos * neg);
}

double spearman(std::span<const double> x, std::span<const double> y) {
  COPYDESK_ASSERT(x.size() == y.size());
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2)
    return nan;
  const std::vector<double> rx = average_ranks(x.first(n));
  const std::vector<double> ry = average_ranks(y.first(n));
  // Average ranks always have mean (n+1)/2.
  const double mean = (static_cast<double>(n) + 1.0) / 2.0;
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = rx[i] - mean;
    const double dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0.0 || syy == 0.0)
    return nan;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

std::vector<threshold_point> sweep_thresholds(std::span<const double> scores,
                                              std::span<const std::uint8_t> gold,
                                              std::span<const double> thresholds) {
  COPYDESK_ASSERT(scores.size() == gold.size());
  const std::size_t n = std::min(scores.size(), gold.size());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank_less(scores[a], scores[b]); });
  std::vector<double> sorted(n);
  // positives_from[i] = positives among the items sorted at positions i..n-1.
  std::vector<std::uint64_t> positives_from(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    sorted[i] = scores[order[i]];
  for (std::size_t i = n; i-- > 0;) {
    positives_from[i] = positives_from[i + 1] + (gold[order[i]] != 0 ? 1 : 0);
  }
  const std::uint64_t positives = positives_from[0];
  std::vector<threshold_point> out;
  out.reserve(thresholds.size());
  for (const double th : thresholds) {
    const auto first = static_cast<std::size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), th, rank_less) - sorted.begin());
    threshold_point pt;
    pt.threshold = th;
    pt.counts.tp = positives_from[first];
    pt.counts.fp = (n - first) - pt.counts.tp;
    pt.counts.fn = positives - pt.counts.tp;
    pt.counts.tn = first - pt.counts.fn;
    pt.scores = decision_scores(pt.counts);
    out.push_back(pt);
  }
  return out;
}

result<std::vector<double>> parse_sweep(std::string_view spec) {
  const auto bad = [&](const std::string& why) {
    return make_error(errc::invalid_argument,
                      "--sweep \"" + std::string(spec) + "\": " + why +
                          " (expected FROM:TO:STEP with 0 <= FROM <= TO <= 1 and STEP > 0, "
                          "e.g. 0.1:0.9:0.05)");
  };
  const std::size_t c1 = spec.find(':');
  const std::size_t c2 = c1 == std::string_view::npos ? c1 : spec.find(':', c1 + 1);
  if (c2 == std::string_view::npos || spec.find(':', c2 + 1) != std::string_view::npos) {
    return bad("not three numbers separated by ':'");
  }
  const auto from = detail::parse_double(spec.substr(0, c1));
  const auto to = detail::parse_double(spec.substr(c1 + 1, c2 - c1 - 1));
  const auto step = detail::parse_double(spec.substr(c2 + 1));
  if (!from || !to || !step)
    return bad("not a number");
  if (*from < 0.0 || *to > 1.0 || *from > *to)
    return bad("range out of order or outside [0,1]");
  if (*step <= 0.0)
    return bad("STEP must be positive");
  // 1e-9 slack so that 0.1:0.9:0.1 ends at 0.9 despite binary rounding of the step.
  const double count = std::floor((*to - *from) / *step + 1e-9) + 1.0;
  if (count > 10001.0)
    return bad("more than 10001 thresholds");
  std::vector<double> out;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    const double th = *from + static_cast<double>(i) * *step;
    out.push_back(std::round(th * 1e9) / 1e9);
  }
  return out;
}

const char* to_string(borrow_grade g) noexcept {
  switch (g) {
  case borrow_grade::none:
    return "none";
  case borrow_grade::heavy:
    return "heavy";
  case borrow_grade::light:
    return "light";
  case borrow_grade::cut:
    return "cut";
  }
  return "none";
}

std::optional<borrow_grade> parse_grade_name(std::string_view name) noexcept {
  name = detail::trim(name);
  if (detail::iequals(name, "none") || detail::iequals(name, "non") ||
      detail::iequals(name, "independent")) {
    return borrow_grade::none;
  }
  if (detail::iequals(name, "heavy"))
    return borrow_grade::heavy;
  if (detail::iequals(name, "light"))
    return borrow_grade::light;
  if (detail::iequals(name, "cut") || detail::iequals(name, "verbatim"))
    return borrow_grade::cut;
  return std::nullopt;
}

result<void> grade_buckets::validate() const {
  if (!(heavy > 0.0 && heavy < light && light < cut && cut <= 1.0)) {
    return make_error(errc::invalid_argument,
                      "grade buckets must satisfy 0 < heavy < light < cut <= 1, got " +
                          std::to_string(heavy) + "," + std::to_string(light) + "," +
                          std::to_string(cut));
  }
  return {};
}

borrow_grade bucket_of(double borrowed, const grade_buckets& b) noexcept {
  if (borrowed >= b.cut)
    return borrow_grade::cut;
  if (borrowed >= b.light)
    return borrow_grade::light;
  if (borrowed >= b.heavy)
    return borrow_grade::heavy;
  return borrow_grade::none;
}

result<grade_buckets> parse_buckets(std::string_view spec) {
  const std::size_t c1 = spec.find(',');
  const std::size_t c2 = c1 == std::string_view::npos ? c1 : spec.find(',', c1 + 1);
  const auto bad = make_error(errc::invalid_argument,
                              "--buckets \"" + std::string(spec) +
                                  "\": expected HEAVY,LIGHT,CUT lower bounds, e.g. 0.05,0.3,0.7");
  if (c2 == std::string_view::npos || spec.find(',', c2 + 1) != std::string_view::npos)
    return bad;
  const auto h = detail::parse_double(spec.substr(0, c1));
  const auto l = detail::parse_double(spec.substr(c1 + 1, c2 - c1 - 1));
  const auto c = detail::parse_double(spec.substr(c2 + 1));
  if (!h || !l || !c)
    return bad;
  grade_buckets b{*h, *l, *c};
  if (auto v = b.validate(); !v)
    return v.error();
  return b;
}

namespace detail {

std::string_view trim(std::string_view s) noexcept {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return s;
}

std::optional<double> parse_double(std::string_view s) noexcept {
  s = trim(s);
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

} // namespace detail

} // namespace copydesk
