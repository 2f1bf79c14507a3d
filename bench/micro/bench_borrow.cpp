// Borrow throughput: copy bytes per second through tokenize + hash + align, against one
// reference and against 100 references (seeded synthetic news-like text, a fifth of the copies
// borrowing lightly edited passages), --self on the same copies, and one real pair from
// corpora/graded. Inputs are built before the timed loop.
#include <copydesk/borrow.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace copydesk;

// Zipf-distributed made-up vocabulary, so common words repeat as in real text.
class word_source {
public:
  explicit word_source(std::uint64_t seed) : rng_(seed) {
    const char* syl[] = {"ka", "lo", "mi", "ne", "tu", "ra", "si", "vo", "de", "pa", "gu", "ze"};
    double acc = 0.0;
    for (int i = 0; i < 20000; ++i) {
      std::string w;
      for (int x = i + 1; x > 0; x /= 12)
        w += syl[x % 12];
      words_.push_back(w);
      acc += 1.0 / std::pow(i + 1.0, 1.05);
      cum_.push_back(acc);
    }
  }
  std::string word() {
    const double u = std::uniform_real_distribution<double>(0.0, cum_.back())(rng_);
    return words_[static_cast<std::size_t>(std::lower_bound(cum_.begin(), cum_.end(), u) -
                                           cum_.begin())];
  }
  std::vector<std::string> text(std::size_t n) {
    std::vector<std::string> v;
    v.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      v.push_back(word());
    return v;
  }
  std::mt19937_64& rng() { return rng_; }

private:
  std::mt19937_64 rng_;
  std::vector<std::string> words_;
  std::vector<double> cum_;
};

std::string join(const std::vector<std::string>& w) {
  std::string s;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i > 0)
      s += (i % 17 == 0) ? ". " : " ";
    s += w[i];
  }
  return s + ".";
}

struct workload {
  std::vector<std::string> refs;
  std::vector<std::string> copies;
  std::int64_t copy_bytes = 0;
};

// `n_refs` references of ~600 words and 200 copies of `copy_words` words; every fifth copy takes
// 2-4 passages of 20-80 words from some reference, with about one word in 15 changed.
workload make_workload(std::size_t n_refs, std::size_t copy_words) {
  word_source ws(42);
  workload w;
  std::vector<std::vector<std::string>> ref_words;
  for (std::size_t r = 0; r < n_refs; ++r) {
    ref_words.push_back(ws.text(600));
    w.refs.push_back(join(ref_words.back()));
  }
  auto& rng = ws.rng();
  for (int c = 0; c < 200; ++c) {
    std::vector<std::string> t = ws.text(copy_words);
    if (c % 5 == 0) {
      for (int k = 0; k < 2 + c % 3; ++k) {
        const auto& src = ref_words[rng() % ref_words.size()];
        const std::size_t len = 20 + rng() % 60;
        const std::size_t at = rng() % (src.size() - len);
        std::vector<std::string> piece(src.begin() + at, src.begin() + at + len);
        for (auto& x : piece) {
          if (rng() % 15 == 0)
            x = ws.word();
        }
        t.insert(t.begin() + static_cast<std::ptrdiff_t>(rng() % t.size()), piece.begin(),
                 piece.end());
      }
    }
    w.copies.push_back(join(t));
    w.copy_bytes += static_cast<std::int64_t>(w.copies.back().size());
  }
  return w;
}

reference_index index_of(const std::vector<std::string>& refs, const borrow_params& p) {
  reference_index index(p);
  for (const std::string& r : refs) {
    hashed_text t;
    hash_text(r, p.hash_seed, t);
    index.add(std::move(t));
  }
  index.build();
  return index;
}

void run_copies(benchmark::State& state, std::size_t n_refs) {
  const workload w = make_workload(n_refs, static_cast<std::size_t>(state.range(0)));
  const borrow_params p;
  const reference_index index = index_of(w.refs, p);
  hashed_text copy;
  std::vector<passage> out;
  std::size_t found = 0;
  for (auto _ : state) {
    for (const std::string& c : w.copies) {
      hash_text(c, p.hash_seed, copy);
      find_passages(copy, index, out);
      found += out.size();
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * w.copy_bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.copies.size()));
}

void BM_Borrow_OneReference(benchmark::State& state) { run_copies(state, 1); }
BENCHMARK(BM_Borrow_OneReference)->RangeMultiplier(4)->Range(150, 2400);

void BM_Borrow_HundredReferences(benchmark::State& state) { run_copies(state, 100); }
BENCHMARK(BM_Borrow_HundredReferences)->RangeMultiplier(4)->Range(150, 2400);

void BM_Borrow_Self(benchmark::State& state) {
  const workload w = make_workload(1, static_cast<std::size_t>(state.range(0)));
  const borrow_params p;
  hashed_text copy;
  std::vector<passage> out;
  std::size_t found = 0;
  for (auto _ : state) {
    for (const std::string& c : w.copies) {
      hash_text(c, p.hash_seed, copy);
      find_repeats(copy, p, out);
      found += out.size();
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * w.copy_bytes);
}
BENCHMARK(BM_Borrow_Self)->Arg(600);

void BM_Borrow_IndexHundredReferences(benchmark::State& state) {
  const workload w = make_workload(100, 10);
  std::int64_t bytes = 0;
  for (const std::string& r : w.refs)
    bytes += static_cast<std::int64_t>(r.size());
  for (auto _ : state) {
    reference_index index = index_of(w.refs, borrow_params{});
    benchmark::DoNotOptimize(index.size());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_Borrow_IndexHundredReferences);

// A real pair: a lightly revised copy against its source (corpora/graded/t1).
void BM_Borrow_GradedLight(benchmark::State& state) {
  auto slurp = [](const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  };
  const std::string dir = COPYDESK_SOURCE_DIR "/corpora/graded/";
  const std::string ref = slurp(dir + "t1-source.txt");
  const std::string copy_text = slurp(dir + "t1-light.txt");
  if (ref.empty() || copy_text.empty()) {
    state.SkipWithError("corpora/graded not found");
    return;
  }
  const borrow_params p;
  const reference_index index = index_of({ref}, p);
  hashed_text copy;
  std::vector<passage> out;
  for (auto _ : state) {
    hash_text(copy_text, p.hash_seed, copy);
    find_passages(copy, index, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(copy_text.size()));
}
BENCHMARK(BM_Borrow_GradedLight);

} // namespace
