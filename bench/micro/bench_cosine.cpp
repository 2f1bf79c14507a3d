// Sparse cosine, the kernel every story pair goes through: tfidf_matrix::cosine on rows of a
// seeded TF-IDF matrix (400-word news-like documents), for random row pairs and for pairs from
// one story; plus all pairs of the labelled story set in corpora/stories. Items/s are pairs.
// The matrix and the pair list are built before the timed loop.
#include <copydesk/tfidf.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace copydesk;

// Documents of 400 words: a story's own words (5-30%) among a log-uniform background vocabulary.
// Document d belongs to story d / 3, so rows 3s, 3s+1, 3s+2 are one story.
std::vector<std::string> make_texts(std::size_t docs) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<std::string> out;
  out.reserve(docs);
  for (std::size_t d = 0; d < docs; ++d) {
    const std::size_t story = d / 3;
    const double own = 0.05 + 0.25 * u(rng);
    std::string t;
    for (int w = 0; w < 400; ++w) {
      if (u(rng) < own)
        t += "s" + std::to_string(story) + "x" + std::to_string(rng() % 12);
      else
        t += "w" + std::to_string(static_cast<unsigned>(std::exp(u(rng) * std::log(50000.0))));
      t += (w % 17 == 16) ? ". " : " ";
    }
    out.push_back(std::move(t));
  }
  return out;
}

constexpr std::size_t bench_docs = 3000;
constexpr std::size_t bench_pairs = 1 << 16;

const tfidf_matrix& matrix() {
  static const tfidf_matrix x = [] {
    const auto texts = make_texts(bench_docs);
    return build_tfidf(texts, tfidf_params{}, nullptr, 1).value();
  }();
  return x;
}

void run_pairs(benchmark::State& state, const tfidf_matrix& x,
               const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  double sum = 0.0;
  for (auto _ : state) {
    for (const auto& [a, b] : pairs)
      sum += x.cosine(a, b);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["mean_cosine"] =
      sum / (static_cast<double>(state.iterations()) * static_cast<double>(pairs.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.size()));
}

void BM_Cosine_RandomPairs(benchmark::State& state) {
  const tfidf_matrix& x = matrix();
  std::mt19937_64 rng(10);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(bench_pairs);
  for (auto& [a, b] : pairs) {
    a = static_cast<std::uint32_t>(rng() % x.rows());
    b = static_cast<std::uint32_t>(rng() % x.rows());
  }
  run_pairs(state, x, pairs);
}
BENCHMARK(BM_Cosine_RandomPairs)->Unit(benchmark::kMillisecond);

// Pairs inside one story: they share their story terms, so the merge finds many matches.
void BM_Cosine_StoryPairs(benchmark::State& state) {
  const tfidf_matrix& x = matrix();
  std::mt19937_64 rng(11);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(bench_pairs);
  for (auto& [a, b] : pairs) {
    const auto s = static_cast<std::uint32_t>(rng() % (x.rows() / 3));
    a = 3 * s + static_cast<std::uint32_t>(rng() % 3);
    b = 3 * s + static_cast<std::uint32_t>(rng() % 3);
  }
  run_pairs(state, x, pairs);
}
BENCHMARK(BM_Cosine_StoryPairs)->Unit(benchmark::kMillisecond);

// Real text: every pair of the labelled story set (skipped when it is not there).
void BM_Cosine_WrittenCorpusAllPairs(benchmark::State& state) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(COPYDESK_SOURCE_DIR) / "corpora" / "stories";
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".txt")
        files.push_back(e.path());
    }
  }
  if (files.size() < 2) {
    state.SkipWithError("corpora/stories not found");
    return;
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
  }
  const tfidf_matrix x = build_tfidf(texts, tfidf_params{}, nullptr, 1).value();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t a = 0; a < x.rows(); ++a) {
    for (std::uint32_t b = a + 1; b < x.rows(); ++b)
      pairs.emplace_back(a, b);
  }
  run_pairs(state, x, pairs);
}
BENCHMARK(BM_Cosine_WrittenCorpusAllPairs)->Unit(benchmark::kMicrosecond);

} // namespace
