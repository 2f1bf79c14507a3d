// Recall of the indexed story-pair search on a corpus too large for exact all-pairs: exact
// cosines of a random sample of rows against every row, compared with the pairs the indexed
// search reports for those rows. Each sampled row's exact pairs come from the column postings
// (sum of weight products over shared terms), re-scored with tfidf_matrix::cosine so both sides
// use the same arithmetic. Every pair with a sampled end is a trial, so the recall estimate is
// unbiased over pairs; its 95% Wilson interval is printed with it.
//
// Usage: copydesk_stories_recall CORPUS.jsonl [SAMPLE=2000] [SEED=1] [THREADS=2]
// Prints one JSON object on standard output.
#include <copydesk/io.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/tfidf.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace copydesk;

namespace {

struct tally {
  std::size_t exact = 0;
  std::size_t found = 0;
};

std::string json_tally(const char* name, double floor, const tally& t) {
  // Wilson score interval (95%): sound at a recall of 1.0, where the normal one has width 0.
  const double m = static_cast<double>(t.exact);
  const double r = t.exact == 0 ? 1.0 : static_cast<double>(t.found) / m;
  const double z = 1.96;
  const double centre = t.exact == 0 ? 1.0 : (r + z * z / (2 * m)) / (1 + z * z / m);
  const double half =
      t.exact == 0 ? 0.0 : z / (1 + z * z / m) * std::sqrt(r * (1 - r) / m + z * z / (4 * m * m));
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "\"%s\": {\"cosine_at_least\": %.2f, \"exact_pairs\": %zu, \"found\": %zu, "
                "\"recall\": %.4f, \"recall_95ci\": [%.4f, %.4f]}",
                name, floor, t.exact, t.found, r, std::max(0.0, centre - half),
                std::min(1.0, centre + half));
  return buf;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS.jsonl [SAMPLE=2000] [SEED=1] [THREADS=2]\n", argv[0]);
    return 2;
  }
  const std::size_t sample = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2000;
  const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  const unsigned threads = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 2;
  using clock = std::chrono::steady_clock;

  // The texts, sorted by id as `copydesk stories` numbers them.
  auto reader = corpus_reader::open({argv[1]});
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.error().message.c_str());
    return 2;
  }
  diagnostics diag;
  std::vector<document> docs;
  for (;;) {
    auto b = reader->next_batch(diag);
    if (!b) {
      std::fprintf(stderr, "%s\n", b.error().message.c_str());
      return 2;
    }
    if (b->empty())
      break;
    for (document& d : *b)
      docs.push_back(std::move(d));
  }
  std::sort(docs.begin(), docs.end(),
            [](const document& a, const document& b) { return a.id < b.id; });
  std::vector<std::string> texts;
  texts.reserve(docs.size());
  for (document& d : docs)
    texts.push_back(std::move(d.text));
  docs = {};

  const stories_config cfg; // the defaults of `copydesk stories`
  const idf_model background = background_model(cfg.tfidf.terms);
  auto t0 = clock::now();
  auto built = build_tfidf(texts, cfg.tfidf, &background, threads);
  if (!built) {
    std::fprintf(stderr, "%s\n", built.error().message.c_str());
    return 2;
  }
  texts = {};
  const tfidf_matrix& x = *built;
  const std::size_t n = x.rows();
  auto t1 = clock::now();
  pair_search_stats st;
  const std::vector<scored_pair> indexed =
      similar_pairs(x, cfg.min_similarity, pair_search::indexed, threads, &st, cfg.key_terms);
  auto t2 = clock::now();

  // The sample, and the indexed pairs that touch it.
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  std::mt19937_64 rng(seed);
  std::shuffle(rows.begin(), rows.end(), rng);
  rows.resize(std::min(sample, n));
  std::sort(rows.begin(), rows.end());
  std::vector<char> in_sample(n, 0);
  for (const std::uint32_t r : rows)
    in_sample[r] = 1;
  std::set<std::pair<std::uint32_t, std::uint32_t>> reported; // (sampled row, other row)
  for (const scored_pair& p : indexed) {
    if (in_sample[p.a] != 0)
      reported.emplace(p.a, p.b);
    if (in_sample[p.b] != 0)
      reported.emplace(p.b, p.a);
  }

  // Column postings, then one dense accumulator pass per sampled row.
  std::vector<std::vector<std::pair<std::uint32_t, float>>> postings(x.cols());
  for (std::uint32_t r = 0; r < n; ++r) {
    const auto t = x.row_terms(r);
    const auto w = x.row_weights(r);
    for (std::size_t i = 0; i < t.size(); ++i)
      postings[static_cast<std::size_t>(t[i])].emplace_back(r, w[i]);
  }
  tally floor_tally;
  tally story_tally;
  std::vector<double> acc(n, 0.0);
  std::vector<std::uint32_t> touched;
  for (const std::uint32_t s : rows) {
    touched.clear();
    const auto t = x.row_terms(s);
    const auto w = x.row_weights(s);
    for (std::size_t i = 0; i < t.size(); ++i) {
      for (const auto& [r, v] : postings[static_cast<std::size_t>(t[i])]) {
        if (acc[r] == 0.0)
          touched.push_back(r);
        acc[r] += static_cast<double>(w[i]) * v;
      }
    }
    for (const std::uint32_t r : touched) {
      // A margin below the floor, then the library's own cosine decides.
      if (r != s && acc[r] >= cfg.min_similarity - 1e-4) {
        const double c = x.cosine(s, r);
        const bool found = reported.count({s, r}) != 0;
        if (c >= cfg.min_similarity) {
          ++floor_tally.exact;
          floor_tally.found += found ? 1 : 0;
        }
        if (c >= cfg.threshold) {
          ++story_tally.exact;
          story_tally.found += found ? 1 : 0;
        }
      }
      acc[r] = 0.0;
    }
  }
  auto t3 = clock::now();
  const auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf("{\"documents\": %zu, \"sample\": %zu, \"seed\": %llu, \"indexed_pairs\": %zu, "
              "\"indexed_candidates\": %zu, %s, %s, \"seconds\": {\"tfidf\": %.2f, "
              "\"indexed_search\": %.2f, \"exact_sample\": %.2f}}\n",
              n, rows.size(), static_cast<unsigned long long>(seed), indexed.size(), st.candidates,
              json_tally("pairs", cfg.min_similarity, floor_tally).c_str(),
              json_tally("story_pairs", cfg.threshold, story_tally).c_str(), secs(t0, t1),
              secs(t1, t2), secs(t2, t3));
  return 0;
}
