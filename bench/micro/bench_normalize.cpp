// The normalization stage off the ASCII fast path: tokenize (NFKC case fold through ICU, word
// break for scripts without spaces) on seeded non-ASCII text in several scripts, and repair_utf8
// on valid and on damaged UTF-8. Bytes/s over the input text; inputs are built before the timed
// loop. The real-text case is corpora/newsroom (mostly ASCII with typographic quotes and accents).
#include <copydesk/text.hpp>

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

void put_utf8(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

enum class script : std::uint8_t { ascii, latin, cyrillic, fullwidth, cjk };

// One word (or, for CJK, one unspaced run of several words) in the given script.
std::string make_word(script sc, std::mt19937_64& rng) {
  std::string w;
  const std::size_t len = 2 + rng() % 8;
  switch (sc) {
  case script::ascii:
  case script::latin: {
    // Latin: about one word in four carries a non-ASCII letter (é, ö, ß, İ, ...), as in
    // German, French or Turkish news.
    static constexpr std::uint32_t accents[] = {0xE9, 0xF6, 0xFC,  0xDF,  0xF1,  0xE7,
                                                0xE5, 0xF8, 0x130, 0x131, 0x15F, 0xC9};
    const bool accented = sc == script::latin && rng() % 4 == 0;
    const std::size_t at = rng() % len;
    for (std::size_t i = 0; i < len; ++i) {
      if (accented && i == at)
        put_utf8(w, accents[rng() % std::size(accents)]);
      else
        w.push_back(static_cast<char>((i == 0 && rng() % 8 == 0 ? 'A' : 'a') + rng() % 26));
    }
    break;
  }
  case script::cyrillic:
    for (std::size_t i = 0; i < len; ++i)
      put_utf8(w,
               static_cast<std::uint32_t>((i == 0 && rng() % 8 == 0 ? 0x410 : 0x430) + rng() % 32));
    break;
  case script::fullwidth: // NFKC maps these to ASCII letters and digits
    for (std::size_t i = 0; i < len; ++i)
      put_utf8(w, static_cast<std::uint32_t>(rng() % 6 == 0 ? 0xFF10 + rng() % 10
                                                            : 0xFF41 + rng() % 26));
    break;
  case script::cjk: // Han and Hiragana without spaces: ICU word break splits them
    for (std::size_t i = 0; i < 3 * len; ++i)
      put_utf8(w, static_cast<std::uint32_t>(rng() % 3 == 0 ? 0x3041 + rng() % 80
                                                            : 0x4E00 + rng() % 2000));
    break;
  }
  return w;
}

// About `bytes` of text: words from a seeded 5,000-word vocabulary, sentences of 17 words.
std::string make_text(script sc, std::size_t bytes) {
  std::mt19937_64 rng(7 + static_cast<std::uint64_t>(sc));
  std::vector<std::string> vocab;
  for (int i = 0; i < 5000; ++i)
    vocab.push_back(make_word(sc, rng));
  std::string t;
  std::size_t n = 0;
  while (t.size() < bytes) {
    // Skewed ranks, so frequent words repeat as in real text.
    const double u = static_cast<double>(rng() % 1000000) / 1e6;
    t += vocab[static_cast<std::size_t>(u * u * u * static_cast<double>(vocab.size()))];
    ++n;
    if (sc == script::cjk)
      put_utf8(t, n % 17 == 0 ? 0x3002 : 0x3001); // 。 and 、
    else
      t += (n % 17 == 0) ? ". " : " ";
  }
  return t;
}

constexpr std::size_t text_bytes = 256 * 1024;

void BM_Normalize_Tokenize(benchmark::State& state, script sc) {
  const std::string t = make_text(sc, text_bytes);
  text::token_list out;
  for (auto _ : state) {
    text::tokenize(t, out);
    benchmark::DoNotOptimize(out.chars.data());
  }
  state.counters["tokens"] = static_cast<double>(out.size());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(t.size()));
}
BENCHMARK_CAPTURE(BM_Normalize_Tokenize, ascii, script::ascii)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Normalize_Tokenize, latin, script::latin)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Normalize_Tokenize, cyrillic, script::cyrillic)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Normalize_Tokenize, fullwidth, script::fullwidth)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Normalize_Tokenize, cjk, script::cjk)->Unit(benchmark::kMicrosecond);

// Valid input: repair_utf8 only validates (and leaves the text unchanged).
void BM_Normalize_RepairUtf8Valid(benchmark::State& state, script sc) {
  std::string t = make_text(sc, text_bytes);
  std::size_t fixed = 0;
  for (auto _ : state) {
    fixed += text::repair_utf8(t);
    benchmark::DoNotOptimize(t.data());
  }
  benchmark::DoNotOptimize(fixed);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(t.size()));
}
BENCHMARK_CAPTURE(BM_Normalize_RepairUtf8Valid, ascii, script::ascii)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Normalize_RepairUtf8Valid, cyrillic, script::cyrillic)
    ->Unit(benchmark::kMicrosecond);

// Damaged input: one byte in range(0) (1 in 64 .. 1 in 4096) overwritten with a stray
// continuation or lead byte. The timed loop also copies the damaged text back (a memcpy),
// because repair_utf8 rewrites it in place.
void BM_Normalize_RepairUtf8Invalid(benchmark::State& state) {
  std::string damaged = make_text(script::latin, text_bytes);
  std::mt19937_64 rng(11);
  const auto every = static_cast<std::size_t>(state.range(0));
  for (std::size_t i = rng() % every; i < damaged.size(); i += every)
    damaged[i] = static_cast<char>(rng() % 2 == 0 ? 0x80 + rng() % 64 : 0xF8 + rng() % 8);
  std::string t;
  t.reserve(damaged.size() * 3);
  std::size_t fixed = 0;
  for (auto _ : state) {
    t.assign(damaged);
    fixed = text::repair_utf8(t);
    benchmark::DoNotOptimize(t.data());
  }
  state.counters["replaced"] = static_cast<double>(fixed);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(damaged.size()));
}
BENCHMARK(BM_Normalize_RepairUtf8Invalid)
    ->RangeMultiplier(8)
    ->Range(64, 4096)
    ->Unit(benchmark::kMicrosecond);

// Real text: the project's newsroom sample, repaired then tokenized document by document.
void BM_Normalize_Newsroom(benchmark::State& state) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(COPYDESK_SOURCE_DIR) / "corpora" / "newsroom";
  std::vector<std::string> docs;
  std::int64_t bytes = 0;
  if (fs::is_directory(dir)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
      std::ifstream f(p, std::ios::binary);
      std::ostringstream ss;
      ss << f.rdbuf();
      docs.push_back(ss.str());
      bytes += static_cast<std::int64_t>(docs.back().size());
    }
  }
  if (docs.empty()) {
    state.SkipWithError("corpora/newsroom not found");
    return;
  }
  text::token_list out;
  for (auto _ : state) {
    for (auto& d : docs) {
      benchmark::DoNotOptimize(text::repair_utf8(d));
      text::tokenize(d, out);
      benchmark::DoNotOptimize(out.chars.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(docs.size()));
}
BENCHMARK(BM_Normalize_Newsroom)->Unit(benchmark::kMicrosecond);

} // namespace
