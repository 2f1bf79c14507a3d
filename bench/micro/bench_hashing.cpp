// The hashing core, stage by stage: tokenize, shingle-hash, text -> signature, LSH banding.
// Inputs: COPYDESK_BENCH_CORPUS=path/to/corpus.jsonl (e.g. from gen_corpus.py) when set, else a
// seeded synthetic corpus; plus the project's own newsroom sample as real-looking text.
// Text stages report bytes/s over document text (after JSON unescaping), like speed_of_light.
#include "common/token_scan.hpp"

#include <copydesk/dedup.hpp>
#include <copydesk/io.hpp>
#include <copydesk/lsh.hpp>
#include <copydesk/minhash.hpp>
#include <copydesk/shingle.hpp>
#include <copydesk/text.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <random>

using namespace copydesk;

namespace {

struct corpus {
  std::vector<std::string> texts;
  std::size_t bytes = 0;
};

corpus synthetic(std::size_t docs) {
  std::mt19937_64 rng(1);
  std::vector<std::string> vocab;
  for (int i = 0; i < 20000; ++i) {
    std::string w;
    const std::size_t len = 2 + rng() % 8;
    for (std::size_t c = 0; c < len; ++c)
      w.push_back(static_cast<char>('a' + rng() % 26));
    vocab.push_back(w);
  }
  corpus c;
  for (std::size_t d = 0; d < docs; ++d) {
    std::string t;
    const std::size_t words = 400 + rng() % 400;
    for (std::size_t i = 0; i < words; ++i) {
      // Zipf-like: small ranks far more often.
      const auto r = static_cast<std::size_t>(
          std::pow(static_cast<double>(rng() % 1000000) / 1e6, 3.0) * 20000);
      t += vocab[r];
      t += (i % 17 == 16) ? ". " : " ";
    }
    c.bytes += t.size();
    c.texts.push_back(std::move(t));
  }
  return c;
}

corpus load(const std::string& path, std::size_t max_docs) {
  corpus c;
  auto reader = corpus_reader::open({path});
  if (!reader)
    return c;
  diagnostics diag;
  for (;;) {
    auto b = reader->next_batch(diag);
    if (!b || b->empty() || c.texts.size() >= max_docs)
      break;
    for (auto& d : *b) {
      if (c.texts.size() >= max_docs)
        break;
      c.bytes += d.text.size();
      c.texts.push_back(std::move(d.text));
    }
  }
  return c;
}

const corpus& bench_corpus() {
  static const corpus c = [] {
    const char* p = std::getenv("COPYDESK_BENCH_CORPUS");
    const char* n = std::getenv("COPYDESK_BENCH_DOCS");
    const std::size_t max_docs = n != nullptr ? std::strtoull(n, nullptr, 10) : 200000;
    return p != nullptr ? load(p, max_docs) : synthetic(5000);
  }();
  return c;
}

const corpus& newsroom() {
  static const corpus c = load(std::string(COPYDESK_SOURCE_DIR) + "/corpora/newsroom", 1000);
  return c;
}

template <class F> void over_corpus(benchmark::State& state, const corpus& c, F&& f) {
  for (auto _ : state) {
    for (const auto& t : c.texts)
      f(t);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.texts.size()));
}

void BM_Tokenize(benchmark::State& state, const corpus& c) {
  std::size_t n = 0;
  over_corpus(state, c, [&](const std::string& t) {
    detail::for_each_token(t, [&](std::string_view tok, byte_span) { n += tok.size(); });
  });
  benchmark::DoNotOptimize(n);
}

void BM_ShingleHash(benchmark::State& state, const corpus& c) {
  std::vector<hash64> out;
  const shingle_params p;
  over_corpus(state, c, [&](const std::string& t) {
    out.clear();
    shingle_text(t, p, out);
    benchmark::DoNotOptimize(out.data());
  });
}

void BM_Signature(benchmark::State& state, const corpus& c) {
  dedup_config cfg;
  std::vector<std::uint32_t> slots(cfg.minhash.num_perm);
  std::vector<std::uint32_t> fps;
  over_corpus(state, c, [&](const std::string& t) {
    sketch_text(t, cfg, slots.data(), fps);
    benchmark::DoNotOptimize(slots.data());
  });
}

void BM_LshBanding(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::uint32_t k = 128;
  std::mt19937_64 rng(2);
  std::vector<std::uint32_t> sigs(n * k);
  for (auto& v : sigs)
    v = static_cast<std::uint32_t>(rng());
  // 10% of documents are near-copies of another (share most slots).
  for (std::size_t d = 1; d < n; d += 10) {
    for (std::uint32_t i = 0; i < k; ++i) {
      if (rng() % 10 != 0)
        sigs[d * k + i] = sigs[(d - 1) * k + i];
    }
  }
  const lsh_params p = choose_lsh_params(0.8, k);
  const std::vector<bool> skip(n);
  for (auto _ : state) {
    auto c = lsh_candidates(sigs, n, k, p, skip);
    benchmark::DoNotOptimize(c.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

} // namespace

BENCHMARK_CAPTURE(BM_Tokenize, corpus, bench_corpus())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShingleHash, corpus, bench_corpus())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Signature, corpus, bench_corpus())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Tokenize, newsroom, newsroom())->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Signature, newsroom, newsroom())->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LshBanding)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);
