// Passage alignment alone: find_passages on copies that were tokenized and hashed before the
// timed loop (bench_borrow times hash + align together). Seeded copies at known levels of reuse
// against one ~600-word reference and against 100, plus the graded set in corpora/graded (each
// topic's four answers against their source). Bytes/s over the copies' text; items/s are copies.
#include <copydesk/borrow.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copydesk;

std::string make_word(std::mt19937_64& rng) {
  std::string w;
  const std::size_t len = 2 + rng() % 8;
  for (std::size_t i = 0; i < len; ++i)
    w.push_back(static_cast<char>('a' + rng() % 26));
  return w;
}

struct vocabulary {
  std::vector<std::string> words;
  explicit vocabulary(std::mt19937_64& rng) {
    for (int i = 0; i < 20000; ++i)
      words.push_back(make_word(rng));
  }
  // Skewed ranks, so frequent words repeat as in real text.
  const std::string& pick(std::mt19937_64& rng) const {
    const double u = static_cast<double>(rng() % 1000000) / 1e6;
    return words[static_cast<std::size_t>(u * u * u * static_cast<double>(words.size()))];
  }
  std::vector<std::string> text(std::mt19937_64& rng, std::size_t n) const {
    std::vector<std::string> t;
    for (std::size_t i = 0; i < n; ++i)
      t.push_back(pick(rng));
    return t;
  }
};

std::string join(const std::vector<std::string>& w) {
  std::string s;
  for (std::size_t i = 0; i < w.size(); ++i) {
    s += w[i];
    s += (i % 17 == 16) ? ". " : " ";
  }
  return s;
}

/// How a seeded copy reuses its reference.
enum class reuse : std::uint8_t {
  verbatim,  ///< the whole reference, unchanged
  light,     ///< the whole reference, one word in 15 replaced
  passages,  ///< 600 new words with 3 lightly edited 40-word passages of the reference
  unrelated, ///< 600 new words
};

struct workload {
  reference_index index;
  std::vector<hashed_text> copies;
  std::int64_t copy_bytes = 0;
};

// 200 copies of the given kind against `n_refs` references of 600 words (each copy draws on a
// random reference).
workload make_workload(reuse kind, std::size_t n_refs) {
  std::mt19937_64 rng(21);
  const vocabulary vocab(rng);
  const borrow_params p;
  workload w{reference_index(p), {}, 0};
  std::vector<std::vector<std::string>> refs;
  for (std::size_t r = 0; r < n_refs; ++r) {
    refs.push_back(vocab.text(rng, 600));
    hashed_text h;
    hash_text(join(refs.back()), p.hash_seed, h);
    w.index.add(std::move(h));
  }
  w.index.build();
  for (int c = 0; c < 200; ++c) {
    const auto& ref = refs[rng() % refs.size()];
    std::vector<std::string> t;
    switch (kind) {
    case reuse::verbatim:
      t = ref;
      break;
    case reuse::light:
      t = ref;
      for (auto& x : t) {
        if (rng() % 15 == 0)
          x = vocab.pick(rng);
      }
      break;
    case reuse::passages:
      t = vocab.text(rng, 600);
      for (int k = 0; k < 3; ++k) {
        const std::size_t at = rng() % (ref.size() - 40);
        std::vector<std::string> piece(ref.begin() + static_cast<std::ptrdiff_t>(at),
                                       ref.begin() + static_cast<std::ptrdiff_t>(at + 40));
        for (auto& x : piece) {
          if (rng() % 15 == 0)
            x = vocab.pick(rng);
        }
        t.insert(t.begin() + static_cast<std::ptrdiff_t>(rng() % t.size()), piece.begin(),
                 piece.end());
      }
      break;
    case reuse::unrelated:
      t = vocab.text(rng, 600);
      break;
    }
    const std::string s = join(t);
    w.copy_bytes += static_cast<std::int64_t>(s.size());
    w.copies.emplace_back();
    hash_text(s, p.hash_seed, w.copies.back());
  }
  return w;
}

void BM_Align(benchmark::State& state, reuse kind) {
  const workload w = make_workload(kind, static_cast<std::size_t>(state.range(0)));
  std::vector<passage> out;
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const hashed_text& c : w.copies) {
      find_passages(c, w.index, out);
      found += out.size();
    }
    benchmark::DoNotOptimize(found);
  }
  state.counters["passages"] = static_cast<double>(found);
  state.SetBytesProcessed(state.iterations() * w.copy_bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.copies.size()));
}
BENCHMARK_CAPTURE(BM_Align, verbatim, reuse::verbatim)
    ->Arg(1)
    ->Arg(100)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Align, light, reuse::light)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Align, passages, reuse::passages)
    ->Arg(1)
    ->Arg(100)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Align, unrelated, reuse::unrelated)
    ->Arg(1)
    ->Arg(100)
    ->Unit(benchmark::kMicrosecond);

// Real text: every graded answer in corpora/graded against its topic's source (one index
// holding the five sources, so each answer is also checked against four unrelated texts).
void BM_Align_Graded(benchmark::State& state) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(COPYDESK_SOURCE_DIR) / "corpora" / "graded";
  auto slurp = [](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
  };
  const borrow_params p;
  reference_index index(p);
  std::vector<hashed_text> copies;
  std::int64_t bytes = 0;
  for (int topic = 1; topic <= 5; ++topic) {
    const std::string prefix = "t" + std::to_string(topic) + "-";
    const std::string source = slurp(dir / (prefix + "source.txt"));
    if (source.empty())
      continue;
    hashed_text h;
    hash_text(source, p.hash_seed, h);
    index.add(std::move(h));
    for (const char* level : {"cut", "light", "heavy", "independent"}) {
      const std::string t = slurp(dir / (prefix + level + ".txt"));
      bytes += static_cast<std::int64_t>(t.size());
      copies.emplace_back();
      hash_text(t, p.hash_seed, copies.back());
    }
  }
  if (index.size() == 0) {
    state.SkipWithError("corpora/graded not found");
    return;
  }
  index.build();
  std::vector<passage> out;
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const hashed_text& c : copies) {
      find_passages(c, index, out);
      found += out.size();
    }
    benchmark::DoNotOptimize(found);
  }
  state.counters["passages"] = static_cast<double>(found);
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(copies.size()));
}
BENCHMARK(BM_Align_Graded)->Unit(benchmark::kMicrosecond);

} // namespace
