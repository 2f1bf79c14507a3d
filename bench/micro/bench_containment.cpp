// Containment candidates: the inverted index over sampled shingle fingerprints that finds pairs
// where one document is mostly inside another. Input is a seeded fingerprint table (documents,
// planted contained copies, shared boilerplate), built before the timed loop; plus the table of
// the project's newsroom sample, made by the dedup sketch path. Items/s are documents.
#include <copydesk/containment.hpp>
#include <copydesk/dedup.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copydesk;

// `n` documents of 50-100 sampled fingerprints (a 400-800-word article at 1 shingle in 8).
// Every 10th document is a contained copy: 85% of an earlier document's fingerprints plus a few
// of its own (a story inside a page). Every 3rd document carries 8 of 40 boilerplate
// fingerprints, so those exceed max_df and are skipped, as site furniture is.
fingerprint_table make_table(std::size_t n) {
  std::mt19937_64 rng(5);
  std::vector<std::uint32_t> boiler(40);
  for (auto& b : boiler)
    b = static_cast<std::uint32_t>(rng());
  fingerprint_table t;
  t.offsets.reserve(n + 1);
  for (std::size_t d = 0; d < n; ++d) {
    const std::size_t begin = t.fps.size();
    if (d % 10 == 9) {
      const std::size_t src = rng() % d;
      for (std::uint64_t i = t.offsets[src]; i < t.offsets[src + 1]; ++i) {
        if (rng() % 100 < 85)
          t.fps.push_back(t.fps[i]);
      }
      for (int i = 0; i < 20; ++i)
        t.fps.push_back(static_cast<std::uint32_t>(rng()));
    } else {
      const std::size_t k = 50 + rng() % 51;
      for (std::size_t i = 0; i < k; ++i)
        t.fps.push_back(static_cast<std::uint32_t>(rng()));
    }
    if (d % 3 == 0) {
      for (int i = 0; i < 8; ++i)
        t.fps.push_back(boiler[rng() % boiler.size()]);
    }
    std::shuffle(t.fps.begin() + static_cast<std::ptrdiff_t>(begin), t.fps.end(), rng);
    t.offsets.push_back(t.fps.size());
  }
  return t;
}

void BM_Containment_Candidates(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  const fingerprint_table t = make_table(n);
  const containment_params p;
  std::size_t found = 0;
  for (auto _ : state) {
    auto c = containment_candidates(t, p, threads);
    found = c.size();
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["candidates"] = static_cast<double>(found);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Containment_Candidates)
    ->ArgsProduct({{10000, 100000}, {1}})
    ->Args({100000, 2})
    ->ArgNames({"docs", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Real text: fingerprints of corpora/newsroom from the dedup sketch path (its wire story sits
// whole inside one outlet's page, so there is a true contained pair to find).
void BM_Containment_Newsroom(benchmark::State& state) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(COPYDESK_SOURCE_DIR) / "corpora" / "newsroom";
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::directory_iterator(dir))
      files.push_back(e.path());
  }
  if (files.empty()) {
    state.SkipWithError("corpora/newsroom not found");
    return;
  }
  std::sort(files.begin(), files.end());
  const dedup_config cfg;
  std::vector<std::uint32_t> slots(cfg.minhash.num_perm);
  std::vector<std::uint32_t> fps;
  fingerprint_table t;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    fps.clear();
    (void)sketch_text(ss.str(), cfg, slots.data(), fps);
    t.fps.insert(t.fps.end(), fps.begin(), fps.end());
    t.offsets.push_back(t.fps.size());
  }
  std::size_t found = 0;
  for (auto _ : state) {
    auto c = containment_candidates(t, cfg.containment, 1);
    found = c.size();
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["candidates"] = static_cast<double>(found);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.size()));
}
BENCHMARK(BM_Containment_Newsroom)->Unit(benchmark::kMicrosecond);

} // namespace
