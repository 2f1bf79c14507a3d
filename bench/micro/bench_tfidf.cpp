// TF-IDF stage benchmarks: matrix build (bytes/s), pair search exact vs indexed (documents/s),
// average-link clustering (pairs/s), and the whole stories stage on corpora/stories.
#include <copydesk/cluster.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/tfidf.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copydesk;

// Seeded news-like texts: each story owns a few rare words; the rest is a Zipf background.
std::vector<std::string> corpus(std::size_t docs, std::uint32_t seed = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const std::size_t stories = std::max<std::size_t>(1, docs / 3);
  std::vector<std::string> out;
  out.reserve(docs);
  for (std::size_t d = 0; d < docs; ++d) {
    const std::size_t s = rng() % stories;
    const double own = 0.05 + 0.25 * u(rng);
    std::string t;
    for (int w = 0; w < 400; ++w) {
      if (u(rng) < own) {
        t += "s" + std::to_string(s) + "x" + std::to_string(rng() % 12);
      } else {
        t += "w" + std::to_string(static_cast<unsigned>(std::exp(u(rng) * std::log(50000.0))));
      }
      t += (w % 17 == 16) ? ". " : " ";
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::size_t total_bytes(const std::vector<std::string>& texts) {
  std::size_t b = 0;
  for (const auto& t : texts)
    b += t.size();
  return b;
}

void BM_Tfidf_Build(benchmark::State& state) {
  const auto texts = corpus(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto x = build_tfidf(texts, tfidf_params{}, nullptr, 1);
    benchmark::DoNotOptimize(x->nonzeros());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(texts)));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Tfidf_Build)->RangeMultiplier(4)->Range(256, 4096)->Unit(benchmark::kMillisecond);

void pairs_bench(benchmark::State& state, pair_search method) {
  const auto texts = corpus(static_cast<std::size_t>(state.range(0)));
  auto x = build_tfidf(texts, tfidf_params{}, nullptr, 1);
  std::size_t found = 0;
  for (auto _ : state) {
    auto p = similar_pairs(*x, defaults::story_min_similarity, method, 1);
    found = p.size();
    benchmark::DoNotOptimize(p.data());
  }
  state.counters["pairs"] = static_cast<double>(found);
  state.SetItemsProcessed(state.iterations() * state.range(0)); // documents
}
void BM_Tfidf_PairsExact(benchmark::State& state) { pairs_bench(state, pair_search::exact); }
void BM_Tfidf_PairsIndexed(benchmark::State& state) { pairs_bench(state, pair_search::indexed); }
BENCHMARK(BM_Tfidf_PairsExact)->RangeMultiplier(4)->Range(256, 4096)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tfidf_PairsIndexed)
    ->RangeMultiplier(4)
    ->Range(256, 16384)
    ->Unit(benchmark::kMillisecond);

void BM_Cluster_AverageLink(benchmark::State& state) {
  // A sparse graph: n nodes, about 8 random edges each, scores in [0, 1).
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937 rng(3);
  std::vector<scored_pair> pairs;
  for (std::size_t e = 0; e < n * 8; ++e) {
    auto a = static_cast<doc_index>(rng() % n);
    auto b = static_cast<doc_index>(rng() % n);
    if (a == b)
      continue;
    if (a > b)
      std::swap(a, b);
    pairs.push_back({a, b, static_cast<double>(rng() % 1000) / 1000.0});
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const auto& x, const auto& y) { return x.a == y.a && x.b == y.b; }),
              pairs.end());
  for (auto _ : state) {
    auto g = average_link(n, pairs, defaults::story_threshold);
    benchmark::DoNotOptimize(g.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.size()));
}
BENCHMARK(BM_Cluster_AverageLink)
    ->RangeMultiplier(8)
    ->Range(1024, 65536)
    ->Unit(benchmark::kMillisecond);

// The whole stage on the team's labelled story corpus (skipped when it is not there).
void BM_Stories_WrittenCorpus(benchmark::State& state) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(COPYDESK_SOURCE_DIR) / "corpora" / "stories";
  std::vector<document> docs;
  std::size_t bytes = 0;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".txt")
        continue;
      std::ifstream f(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << f.rdbuf();
      document d;
      d.id = e.path().filename().string();
      d.text = ss.str();
      bytes += d.text.size();
      docs.push_back(std::move(d));
    }
  }
  if (docs.empty()) {
    state.SkipWithError("corpora/stories not found");
    return;
  }
  for (auto _ : state) {
    diagnostics diag;
    auto r = run_stories(docs, stories_config{}, diag);
    benchmark::DoNotOptimize(r->groups.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(docs.size()));
}
BENCHMARK(BM_Stories_WrittenCorpus)->Unit(benchmark::kMillisecond);

} // namespace
